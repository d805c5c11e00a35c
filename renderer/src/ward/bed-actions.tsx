import type { Bed } from '../../../contract/index.js';
import { useCan } from '../session/index.js';
import { FormError } from '../ui/form-error.js';
import { ShortcutHint } from '../ui/shortcut-hint.js';
import { useCompleteCleaning } from './queries.js';
import { useWard } from './ward-store.js';
import { mutateThen } from '../client/channel-query.js';

/** What can be done with the bed under the cursor, each with its key. */
export function BedActions({ bed }: { bed: Bed }) {
  const set = useWard((s) => s.set);
  const canAssign = useCan('rooms.assign');
  const cleaning = useCompleteCleaning();
  return (
    <aside className="bed-actions no-print" aria-label={`Bed ${bed.roomNumber}/${bed.bedNumber}`}>
      <h2>
        Bed {bed.roomNumber}/{bed.bedNumber}
      </h2>
      <p>
        {bed.patient
          ? bed.patient.name
          : bed.state === 'free'
            ? 'Free'
            : bed.state === 'to-clean'
              ? 'Waiting to be cleaned'
              : bed.state === 'maintenance'
                ? 'Under maintenance'
                : 'Closed'}
      </p>
      {bed.patient && (
        <>
          <button type="button" className="primary" onClick={() => set({ chart: bed.patient!.patientId })}>
            Open chart (Enter)
          </button>
          <button type="button" onClick={() => set({ dialog: 'wristband', wristbandFor: bed.patient!.patientId })}>
            Wristband <ShortcutHint keys="Alt+W" />
          </button>
          {canAssign && (
            <>
              <button type="button" onClick={() => set({ dialog: 'transfer' })}>
                Transfer <ShortcutHint keys="Alt+T" />
              </button>
              <button type="button" onClick={() => set({ dialog: 'discharge' })}>
                Discharge <ShortcutHint keys="Alt+D" />
              </button>
            </>
          )}
        </>
      )}
      {bed.state === 'free' && canAssign && (
        <button type="button" className="primary" onClick={() => set({ dialog: 'admit' })}>
          Admit <ShortcutHint keys="Alt+A" />
        </button>
      )}
      {bed.state === 'to-clean' && bed.cleaningId !== null && canAssign && (
        <button
          type="button"
          className="primary"
          onClick={() =>
            mutateThen(
              cleaning,
              { cleaningId: bed.cleaningId! },
              { onSuccess: () => set({ notice: `Bed ${bed.roomNumber}/${bed.bedNumber} is clean and free.` }) },
            )
          }
        >
          Cleaning done <ShortcutHint keys="Alt+L" />
        </button>
      )}
      {canAssign && (
        <button type="button" onClick={() => set({ dialog: 'clean' })}>
          Ask for a clean <ShortcutHint keys="Alt+K" />
        </button>
      )}
      <FormError error={cleaning.error} />
    </aside>
  );
}
