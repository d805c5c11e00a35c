import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { AdmissionCandidate, Bed, BedBoard } from '../../../contract/index.js';
import { DischargeDestination } from '../../../contract/index.js';
import { FormError } from '../ui/form-error.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { AdmitSearch } from './admit-search.js';
import { useAdmit, useDischarge, useTransfer, wardQueries } from './queries.js';
import { WardDialog } from './ward-dialog.js';
import { mutateThen } from '../client/channel-query.js';

const bedName = (b: Pick<Bed, 'roomNumber' | 'bedNumber'>) => `${b.roomNumber}/${b.bedNumber}`;

/** Enter on a select submits the form too (a select would otherwise swallow it). */
export const submitFromSelect = (e: React.KeyboardEvent<HTMLFormElement>) => {
  if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
};

/** Admit a registered patient into a free bed; a clash offers the free beds (1–9). */
export function AdmitDialog({ bed, board, onDone, onClose }: { bed: Bed; board: BedBoard; onDone(text: string): void; onClose(): void }) {
  const [target, setTarget] = useState(bed);
  const [patient, setPatient] = useState<AdmissionCandidate | null>(null);
  const [reason, setReason] = useState('');
  const admit = useAdmit();
  const freeBeds = board.beds.filter((b) => b.state === 'free' && !(b.roomId === target.roomId && b.bedNumber === target.bedNumber));
  const conflict = admit.error?.code === 'Conflict';
  // Told the bed was taken: the focus leaves the reason for the free beds, so 1–9 (or Enter) picks one.
  const alternatives = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (conflict) alternatives.current?.querySelector('button')?.focus();
  }, [conflict]);
  /** Another free bed chosen after a clash: back to the reason, where Enter admits into it. */
  const pickBed = (b: Bed) => {
    admit.reset();
    setTarget(b);
    setTimeout(() => document.getElementById('admit-reason')?.focus());
  };
  function confirm() {
    if (!patient) return;
    mutateThen(
      admit,
      { patientId: patient.patientId, roomId: target.roomId, bedNumber: target.bedNumber, ...(reason.trim() ? { notes: reason } : {}) },
      {
        onSuccess: () =>
          onDone(`${patient.lastName}, ${patient.firstName} admitted to bed ${bedName(target)}. Print the wristband: Alt+W.`),
      },
    );
  }
  return (
    <WardDialog title={`Admit into bed ${bedName(target)}`} onClose={onClose}>
      {!patient ? (
        <AdmitSearch onPick={setPatient} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            confirm();
          }}
          onKeyDown={(e) => {
            // Digits pick a free bed, except while typed into the reason.
            const typing = e.target instanceof HTMLInputElement;
            const pick = conflict && !typing && /^[1-9]$/.test(e.key) ? freeBeds[Number(e.key) - 1] : undefined;
            if (pick) {
              e.preventDefault();
              pickBed(pick);
            }
          }}
        >
          <p>
            <strong>
              {patient.lastName}, {patient.firstName}
            </strong>{' '}
            (#{patient.patientId}, born {patient.dateOfBirth}) into bed <strong>{bedName(target)}</strong>
          </p>
          <label htmlFor="admit-reason">Reason for admission (the handover's situation)</label>
          <input
            id="admit-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            autoComplete="off"
            autoFocus
          />
          <FormError error={admit.error}>
            {conflict && freeBeds.length > 0 && (
              <ul className="alternatives" aria-label="Free beds" ref={alternatives}>
                {freeBeds.slice(0, 9).map((b, i) => (
                  <li key={`${b.roomId}:${b.bedNumber}`}>
                    <button type="button" onClick={() => pickBed(b)}>
                      <ShortcutHint keys={String(i + 1)} /> Bed {bedName(b)}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </FormError>
          <span className="row-actions">
            <button type="submit" className="primary" disabled={admit.isPending}>
              Admit (Enter)
            </button>
            <button type="button" onClick={() => setPatient(null)}>
              Another patient
            </button>
            <button type="button" className="link-button" onClick={onClose}>
              Back (Esc)
            </button>
          </span>
        </form>
      )}
    </WardDialog>
  );
}

/** Move the patient to a free bed of this ward or another (one transaction; the old bed goes to cleaning). */
export function TransferDialog({
  bed,
  board,
  onDone,
  onClose,
}: {
  bed: Bed;
  board: BedBoard;
  onDone(text: string): void;
  onClose(): void;
}) {
  const [departmentId, setDepartmentId] = useState(board.departmentId);
  const census = useQuery(wardQueries.census());
  const other = useQuery({ ...wardQueries.bedBoard(departmentId), enabled: departmentId !== board.departmentId });
  const shown = departmentId === board.departmentId ? board : other.data;
  const free = (shown?.beds ?? []).filter((b) => b.state === 'free');
  const [choice, setChoice] = useState('');
  const transfer = useTransfer();
  const chosen = free.find((b) => `${b.roomId}:${b.bedNumber}` === choice) ?? free[0];
  return (
    <WardDialog title={`Transfer ${bed.patient?.name ?? ''} from bed ${bedName(bed)}`} onClose={onClose}>
      <form
        className="field-grid"
        onKeyDown={submitFromSelect}
        onSubmit={(e) => {
          e.preventDefault();
          if (!chosen || bed.assignmentId === null) return;
          mutateThen(
            transfer,
            { assignmentId: bed.assignmentId, roomId: chosen.roomId, bedNumber: chosen.bedNumber },
            {
              onSuccess: () => onDone(`${bed.patient?.name ?? 'Patient'} moved to ${shown?.departmentName ?? ''} bed ${bedName(chosen)}.`),
            },
          );
        }}
      >
        <label htmlFor="transfer-ward">Ward</label>
        <select id="transfer-ward" value={departmentId} onChange={(e) => setDepartmentId(Number(e.target.value))}>
          {(census.data ?? [{ departmentId: board.departmentId, departmentName: board.departmentName }]).map(
            (d) =>
              d.departmentId !== null && (
                <option key={d.departmentId} value={d.departmentId}>
                  {d.departmentName}
                </option>
              ),
          )}
        </select>
        <label htmlFor="transfer-bed">To bed</label>
        <select
          id="transfer-bed"
          value={chosen ? `${chosen.roomId}:${chosen.bedNumber}` : ''}
          onChange={(e) => setChoice(e.target.value)}
          autoFocus
        >
          {free.length === 0 && <option value="">No free bed</option>}
          {free.map((b) => (
            <option key={`${b.roomId}:${b.bedNumber}`} value={`${b.roomId}:${b.bedNumber}`}>
              {bedName(b)}
            </option>
          ))}
        </select>
        <FormError error={transfer.error ?? other.error} />
        <span className="row-actions span-2">
          <button type="submit" className="primary" disabled={!chosen || transfer.isPending}>
            Transfer (Enter)
          </button>
          <button type="button" className="link-button" onClick={onClose}>
            Back (Esc)
          </button>
        </span>
      </form>
    </WardDialog>
  );
}

const DESTINATIONS: Record<DischargeDestination, string> = {
  home: 'Home',
  'home-with-support': 'Home with support',
  'care-home': 'Care home',
  'other-hospital': 'Another hospital',
  died: 'Died',
  other: 'Other',
};

/** Discharge with a reason and destination; the bed then waits for cleaning. */
export function DischargeDialog({ bed, onDone, onClose }: { bed: Bed; onDone(text: string): void; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [destination, setDestination] = useState<DischargeDestination>('home');
  const discharge = useDischarge();
  return (
    <WardDialog title={`Discharge ${bed.patient?.name ?? ''} from bed ${bedName(bed)}`} onClose={onClose}>
      <form
        className="field-grid"
        onKeyDown={submitFromSelect}
        onSubmit={(e) => {
          e.preventDefault();
          if (bed.assignmentId === null) return;
          mutateThen(
            discharge,
            { assignmentId: bed.assignmentId, reason, destination },
            { onSuccess: () => onDone(`${bed.patient?.name ?? 'Patient'} discharged; bed ${bedName(bed)} is waiting to be cleaned.`) },
          );
        }}
      >
        <label htmlFor="discharge-reason">Reason</label>
        <input id="discharge-reason" autoFocus value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        <label htmlFor="discharge-destination">Destination</label>
        <select id="discharge-destination" value={destination} onChange={(e) => setDestination(e.target.value as DischargeDestination)}>
          {DischargeDestination.options.map((d) => (
            <option key={d} value={d}>
              {DESTINATIONS[d]}
            </option>
          ))}
        </select>
        <FormError error={discharge.error} fieldName={(p) => (p === 'reason' ? 'Reason' : p)} />
        <span className="row-actions span-2">
          <button type="submit" className="primary" disabled={discharge.isPending}>
            Discharge (Enter)
          </button>
          <button type="button" className="link-button" onClick={onClose}>
            Back (Esc)
          </button>
        </span>
      </form>
    </WardDialog>
  );
}
