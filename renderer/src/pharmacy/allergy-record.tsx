import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Allergy, ChannelInput, RecordedAllergy } from '../../../contract/index.js';
import { mutateThen } from '../client/channel-query.js';
import { FormError } from '../ui/form-error.js';
import { OFFLINE_REASON, useDatabaseReachable } from './offline.js';
import { pharmacyQueries, useMarkAllergyInError, useRecordAllergy } from './queries.js';
// Its own styles, for the Ward chart that mounts it without the Pharmacy screen.
import './pharmacy.css';

type NewAllergy = ChannelInput<'pharmacy/record-allergy'>;
const SEVERITIES: NewAllergy['severity'][] = ['mild', 'moderate', 'severe', 'life-threatening'];

/**
 * Recording a patient's allergies where they are learnt (the bedside chart, the pharmacy counter): a
 * generic name or a drug class, which every medication check then matches; one recorded by mistake
 * is marked entered in error (kept, with who and when), never deleted.
 */
export function AllergyRecord({ patientId }: { patientId: number }) {
  const allergies = useQuery(pharmacyQueries.allergies(patientId));
  const record = useRecordAllergy();
  const reachable = useDatabaseReachable();
  const empty = { substance: '', matchKind: 'generic' as const, reaction: '', severity: 'moderate' as const };
  const [draft, setDraft] = useState<Omit<NewAllergy, 'patientId' | 'reaction'> & { reaction: string }>(empty);
  const [notice, setNotice] = useState<{ text: string; warn: boolean } | null>(null);
  return (
    <section className="pharmacy allergy-record" aria-labelledby={`allergy-record-${patientId}`}>
      <h3 id={`allergy-record-${patientId}`}>Allergies: record or correct</h3>
      {allergies.data && allergies.data.length > 0 && (
        <ul className="plain-list">
          {allergies.data.map((a) => (
            <AllergyItem key={a.allergyId} allergy={a} disabled={!reachable} />
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        aria-label="Record an allergy"
        onSubmit={(e) => {
          e.preventDefault();
          const { substance } = draft;
          mutateThen(
            record,
            { patientId, ...draft, reaction: draft.reaction.trim() || null },
            { onSuccess: (recorded) => (setDraft(empty), setNotice(recordedNotice(recorded, substance.trim().toLowerCase()))) },
          );
        }}
      >
        <label htmlFor={`allergy-substance-${patientId}`}>Substance</label>
        <input
          id={`allergy-substance-${patientId}`}
          value={draft.substance}
          onChange={(e) => setDraft({ ...draft, substance: e.target.value })}
          maxLength={150}
          placeholder="generic name or drug class"
          autoComplete="off"
        />
        <label htmlFor={`allergy-kind-${patientId}`}>Is a</label>
        <select
          id={`allergy-kind-${patientId}`}
          value={draft.matchKind}
          onChange={(e) => setDraft({ ...draft, matchKind: e.target.value === 'class' ? 'class' : 'generic' })}
        >
          <option value="generic">generic name</option>
          <option value="class">drug class</option>
        </select>
        <label htmlFor={`allergy-severity-${patientId}`}>Severity</label>
        <select
          id={`allergy-severity-${patientId}`}
          value={draft.severity}
          onChange={(e) => setDraft({ ...draft, severity: SEVERITIES.find((s) => s === e.target.value) ?? 'moderate' })}
        >
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor={`allergy-reaction-${patientId}`}>Reaction</label>
        <input
          id={`allergy-reaction-${patientId}`}
          value={draft.reaction}
          onChange={(e) => setDraft({ ...draft, reaction: e.target.value })}
          maxLength={255}
          autoComplete="off"
        />
        <button type="submit" disabled={!reachable || record.isPending} title={reachable ? undefined : OFFLINE_REASON}>
          Record allergy
        </button>
      </form>
      <FormError error={record.error} />
      {notice && !record.error && (
        <p className={notice.warn ? 'form-error' : 'muted'} role="status">
          {notice.text}
        </p>
      )}
    </section>
  );
}

/** What the nurse is told once it is recorded: plainly, when the checks cannot match what was typed. */
function recordedNotice(recorded: RecordedAllergy, substance: string) {
  const kind = recorded.matchKind === 'class' ? 'drug class' : 'generic name';
  const other = recorded.matchKind === 'class' ? 'generic name' : 'drug class';
  if (recorded.matchesFormulary) return { text: `Allergy to ${substance} recorded.`, warn: false };
  if (recorded.matchesAsOtherKind)
    return {
      text: `Recorded, but "${substance}" is a ${other} in the formulary, not a ${kind}: the checks will not match it. Mark it entered in error and record it as a ${other}.`,
      warn: true,
    };
  return {
    text: `Recorded, but no medicine in the formulary has "${substance}" as its ${kind}: the checks will not match it. Check the spelling (a group such as penicillins is a drug class); a non-medicine allergy (latex, food) stays on the record as written.`,
    warn: true,
  };
}

function AllergyItem({ allergy, disabled }: { allergy: Allergy; disabled: boolean }) {
  const mark = useMarkAllergyInError();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const what = `${allergy.substance} (${allergy.matchKind === 'class' ? 'class' : 'generic'}, ${allergy.severity}${allergy.reaction ? `, ${allergy.reaction}` : ''})`;
  return (
    <li>
      {what}{' '}
      {confirming ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            mutateThen(mark, { allergyId: allergy.allergyId, reason }, { onSuccess: () => setConfirming(false) });
          }}
        >
          <label htmlFor={`allergy-error-${allergy.allergyId}`}>Why is it wrong?</label>
          <input
            id={`allergy-error-${allergy.allergyId}`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            autoFocus
            autoComplete="off"
          />
          <button type="submit" disabled={mark.isPending}>
            Mark entered in error
          </button>
          <button type="button" className="link-button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </form>
      ) : (
        <button type="button" className="link-button" onClick={() => setConfirming(true)} disabled={disabled}>
          Entered in error…
        </button>
      )}
      <FormError error={mark.error} />
    </li>
  );
}
