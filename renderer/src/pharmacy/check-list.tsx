import type { CheckKind, MedicationCheck } from '../../../contract/pharmacy.js';

const KIND_LABEL: Record<CheckKind, string> = {
  allergy: 'Allergy',
  duplicate: 'Duplicate therapy',
  interaction: 'Interaction',
  'max-dose': 'Above maximum daily dose',
};
export const checkKindLabel = (kind: CheckKind) => KIND_LABEL[kind];

/** The checks that fired, each with its reason in plain words; none is said as plainly. */
export function CheckList({ checks, title = 'Medication checks' }: { checks: MedicationCheck[]; title?: string }) {
  return (
    <div className="check-list" aria-label={title} role="group">
      <h3>{title}</h3>
      {checks.length === 0 ? (
        <p className="check-none">No check fired: no allergy, duplicate, interaction or dose above the maximum.</p>
      ) : (
        <ul>
          {checks.map((check, index) => (
            <li key={`${check.kind}-${index}`} className={`check check-${check.kind}`}>
              <strong>{KIND_LABEL[check.kind]}</strong> <span className="tag">{check.severity}</span> {check.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One reason field per kind of check that fired: going on past a check needs a reason (stored and audited). */
export function OverrideFields({
  checks,
  reasons,
  onChange,
  idPrefix,
}: {
  checks: MedicationCheck[];
  reasons: Partial<Record<CheckKind, string>>;
  onChange(kind: CheckKind, reason: string): void;
  idPrefix: string;
}) {
  const kinds = [...new Set(checks.map((c) => c.kind))];
  if (kinds.length === 0) return null;
  return (
    <fieldset className="override-fields">
      <legend>Reason to go on past each check (stored and audited)</legend>
      {kinds.map((kind) => (
        <label key={kind} htmlFor={`${idPrefix}-${kind}`}>
          Override reason: {KIND_LABEL[kind]}
          <input
            id={`${idPrefix}-${kind}`}
            value={reasons[kind] ?? ''}
            onChange={(e) => onChange(kind, e.target.value)}
            minLength={5}
            maxLength={500}
            placeholder="at least 5 characters"
          />
        </label>
      ))}
    </fieldset>
  );
}

/** The overrides to send: one per fired kind, with what was typed. */
export const overridesFor = (checks: MedicationCheck[], reasons: Partial<Record<CheckKind, string>>) =>
  [...new Set(checks.map((c) => c.kind))].map((kind) => ({ kind, reason: reasons[kind] ?? '' }));
