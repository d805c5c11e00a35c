import path from 'node:path';
import type { AttentionFix, AttentionItem } from '../../../contract/index.js';
import type { LocalView } from './local-view.js';
import type { OutboxEntry } from './outbox.js';
import type { ReplayOutcome } from './replay-types.js';
import { readSealedJson, writeSealedJson, type SealedFiles } from '../../security/sealed-file.js';

/** One Needs-attention item with the original change it stands for. */
export interface StoredAttention {
  item: AttentionItem;
  entry: OutboxEntry;
}

interface AttentionState {
  items: StoredAttention[];
  /** Server ids learned for this terminal's walk-ins and bookings (key → id), for fixes that need them. */
  serverIds: Record<string, number>;
}

const FILE = 'attention.bin';
/** The channel of an item that is a notice from this terminal itself, not a change to fix. */
export const NOTICE_CHANNEL = 'offline/notice';

/** A notice for the inbox (damage found in this terminal's offline files): it can only be read and discarded. */
export function noticeItem(key: string, at: Date, summary: string, reason: string): StoredAttention {
  return {
    entry: { key, userId: '', createdAt: at.toISOString(), channel: NOTICE_CHANNEL, input: null, dependsOn: [] },
    item: {
      key,
      channel: NOTICE_CHANNEL,
      summary,
      madeBy: 'This terminal (its own check of its offline files)',
      madeAt: at.toISOString(),
      code: 'Damaged',
      reason,
      nextFreeSlots: [],
      possibleDuplicates: [],
      blockedBy: null,
      fixes: ['discard'],
    },
  };
}

/**
 * The sealed Needs-attention inbox of this terminal: it names patients, so it never touches disk in
 * clear. A file that is refused (damaged, an older copy, another file) is kept aside by the sealing
 * and the inbox starts again with a notice saying so, rather than silently empty.
 */
export function openAttentionStore(dir: string, files: SealedFiles, now: () => Date = () => new Date()) {
  const file = `${dir}/${FILE}`;
  const read = readSealedJson<AttentionState>(file, 'attention', files);
  let state: AttentionState = read.status === 'ok' ? read.value : { items: [], serverIds: {} };
  const save = (next: AttentionState) => {
    writeSealedJson(file, 'attention', files, next);
    state = next;
  };
  if (read.status === 'refused') {
    const kept = read.keptAs ? ` A copy of the file as it was is kept as ${path.basename(read.keptAs)} for an administrator.` : '';
    const notice = noticeItem(
      `attention-refused:${read.keptAs ? path.basename(read.keptAs) : now().toISOString()}`,
      now(),
      'The Needs-attention list of this terminal could not be read',
      `Its file was refused (${read.reason.replace(/-/g, ' ')}), so items listed here before may be missing. Changes that are still waiting are not affected.${kept} Tell an administrator, then discard this notice.`,
    );
    state = { items: [notice], serverIds: {} };
    try {
      save(state);
    } catch (error) {
      files.log(
        `Could not write the Needs-attention list; its notice is kept in memory until the next write (${(error as Error).message})`,
      );
    }
  }
  return {
    items: () => state.items,
    count: () => state.items.length,
    find: (itemKey: string) => state.items.find((s) => s.item.key === itemKey) ?? null,
    serverId: (entryKey: string): number | null => state.serverIds[entryKey] ?? null,
    /** Adds items and learned ids in one sealed write. */
    record(added: StoredAttention[], learned: Record<string, number>) {
      // A replay repeated after a crash reports the same refusals again: each stays one item.
      const known = new Set(state.items.map((s) => s.item.key));
      const fresh = added.filter((s) => !known.has(s.item.key));
      if (fresh.length === 0 && Object.keys(learned).length === 0) return;
      save({ items: [...state.items, ...fresh], serverIds: { ...state.serverIds, ...learned } });
    },
    /** Replaces the items (after a fix) and adds learned ids, in one sealed write. */
    replace(items: StoredAttention[], learned: Record<string, number> = {}) {
      save({ items, serverIds: { ...state.serverIds, ...learned } });
    },
  };
}
export type AttentionStore = ReturnType<typeof openAttentionStore>;

/** The change in a clerk's words, from what the terminal knew when it was made. */
export function describeChange(entry: OutboxEntry, view: LocalView): string {
  const input = entry.input as Record<string, unknown>;
  const slot = input.slot as { date: string; time: string } | undefined;
  const patient = (id: unknown) => {
    const p = view.patients.find((x) => x.patientId === id);
    return p ? `${p.lastName}, ${p.firstName}` : `patient ${String(id)}`;
  };
  const appointment = view.appointments.find((a) => a.appointmentId === input.appointmentId);
  const about = appointment
    ? `${appointment.patientName} with ${appointment.doctorName} on ${appointment.date} ${appointment.time}`
    : `appointment ${String(input.appointmentId)}`;
  switch (entry.channel) {
    case 'patients/register-patient':
      return `Register walk-in ${String(input.lastName)}, ${String(input.firstName)} (born ${String(input.dateOfBirth)})`;
    case 'scheduling/book-appointment': {
      const doctor = view.doctors.find((d) => d.doctorId === input.doctorId)?.name ?? `doctor ${String(input.doctorId)}`;
      return `Book ${doctor}, ${slot?.date} ${slot?.time}, for ${patient(input.patientId)}`;
    }
    case 'scheduling/reschedule-appointment':
      return `Move ${about} to ${slot?.date} ${slot?.time}`;
    case 'scheduling/cancel-appointment':
      return `Cancel ${about} (${String(input.reason)})`;
    case 'scheduling/set-appointment-status':
      return `Mark ${about} as ${String(input.status)}`;
    case 'audit/offline-sign-in':
      return `Sign-in of ${entry.userName ?? 'a user'} on this terminal while offline (for the audit trail)`;
    default:
      return `A change of kind "${entry.channel}"`;
  }
}

/** The one-key fixes that make sense for this refusal. */
export function fixesFor(outcome: Extract<ReplayOutcome, { outcome: 'needs-attention' }>): AttentionFix[] {
  if (outcome.blockedBy) return ['discard'];
  const fixes: AttentionFix[] = [];
  const channel = outcome.entry.channel;
  if (
    (channel === 'scheduling/book-appointment' || channel === 'scheduling/reschedule-appointment') &&
    (outcome.error.nextFreeSlots?.length ?? 0) > 0
  )
    fixes.push('book-slot');
  if (channel === 'patients/register-patient' && (outcome.error.possibleDuplicates?.length ?? 0) > 0)
    fixes.push('use-patient', 'register-anyway');
  return [...fixes, 'discard'];
}

export function attentionItem(outcome: Extract<ReplayOutcome, { outcome: 'needs-attention' }>, view: LocalView): StoredAttention {
  const entry = outcome.entry;
  return {
    entry,
    item: {
      key: entry.key,
      channel: entry.channel,
      summary: describeChange(entry, view),
      madeBy: entry.userName ?? 'A user of this terminal',
      madeAt: entry.createdAt,
      code: outcome.error.code,
      reason: outcome.error.message,
      nextFreeSlots: outcome.error.nextFreeSlots ?? [],
      possibleDuplicates: outcome.error.possibleDuplicates ?? [],
      blockedBy: outcome.blockedBy ?? null,
      fixes: fixesFor(outcome),
    },
  };
}
