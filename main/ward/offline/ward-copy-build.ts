import { sql, type Kysely } from 'kysely';
import { channels, type ChannelKey, type ChannelOutput, type Permission } from '../../../contract/index.js';
import type { Mar } from '../../../contract/ward.js';
import type { WardLastKnownCopy } from '../../../contract/ward-offline.js';
import type { SessionUser } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import type { HandlerContext, HandlerMap } from '../../ipc/handler-types.js';
import type { SessionStore } from '../../auth/session-store.js';
import type { Terminal } from '../../shared/terminal.js';

/** The copy covers the doses of the next 12 hours... */
export const COPY_MAR_HOURS = 12;
/** ...and those of the last 12 left open when it was taken (due, late, missed): the likeliest to be forgotten on paper. */
const COPY_OPEN_PAST_HOURS = 12;
const OPEN_STATES = new Set(['due', 'late', 'missed']);

export interface CopyBuildDeps {
  handlers: HandlerMap;
  sessions: SessionStore;
  terminal: Terminal;
  now: Date;
  departmentId?: number;
}

/**
 * Reads the ward as `user` would on screen, through the same handlers (and so the same row level
 * security and permissions): the board, each occupied bed's allergies, and the MAR of the next
 * 12 hours. A part the user may not read, or that fails, is left out (null) rather than guessed.
 */
export async function buildWardCopy(trx: Kysely<Database>, user: SessionUser, deps: CopyBuildDeps): Promise<WardLastKnownCopy> {
  const ctx = copyContext(user, deps);
  const run = <C extends ChannelKey>(channel: C, input: unknown) => runAs(trx, deps.handlers, channel, input, ctx);
  const board = await run('ward/get-bed-board', deps.departmentId === undefined ? {} : { departmentId: deps.departmentId });
  if (!board) throw new Error('The bed board could not be read for the ward copy.');
  const read = await run('ward/get-mar', { departmentId: board.departmentId, pastHours: COPY_OPEN_PAST_HOURS, nextHours: COPY_MAR_HOURS });
  const takenAt = deps.now.toISOString();
  const mar = read && stillToDo(read, takenAt);
  const allergies: WardLastKnownCopy['allergies'] = [];
  for (const bed of board.beds) {
    if (!bed.patient) continue;
    const listed = await run('pharmacy/list-allergies', { patientId: bed.patient.patientId });
    allergies.push({
      patientId: bed.patient.patientId,
      allergies: (listed ?? []).map((a) => `${a.substance} (${a.reaction ? `${a.reaction}, ` : ''}${a.severity})`),
    });
  }
  return { takenAt, takenFor: user.displayName, board, allergies, mar };
}

/**
 * The doses the paper chart is for: those due from `takenAt` on, and earlier ones left open; a dose recorded
 * before it stays out, and so does a stopped order (nothing of it is to be given).
 */
export function stillToDo(mar: Mar, takenAt: string): Mar {
  return {
    ...mar,
    patients: mar.patients.map((p) => ({
      ...p,
      orders: p.orders
        .filter((o) => !o.stoppedAt)
        .map((o) => ({ ...o, doses: o.doses.filter((d) => d.scheduledFor >= takenAt || OPEN_STATES.has(d.state)) })),
    })),
  };
}

/** One channel's handler as this user, under a savepoint: a refusal leaves the rest of the copy readable. */
async function runAs<C extends ChannelKey>(
  trx: Kysely<Database>,
  handlers: HandlerMap,
  channel: C,
  rawInput: unknown,
  ctx: HandlerContext,
): Promise<ChannelOutput<C> | null> {
  const spec = channels[channel];
  if (!ctx.session!.user.permissions.includes(spec.access as Permission)) return null;
  const handler = handlers[channel];
  const input = spec.input.parse(rawInput);
  await sql`SAVEPOINT ward_copy_part`.execute(trx);
  try {
    const value =
      handler.kind === 'local'
        ? await (handler.run as (i: unknown, c: HandlerContext) => unknown)(input, ctx)
        : await (handler.run as (t: Kysely<Database>, i: unknown, c: HandlerContext) => Promise<unknown>)(trx, input, ctx);
    await sql`RELEASE SAVEPOINT ward_copy_part`.execute(trx);
    return spec.output.parse(value) as ChannelOutput<C>;
  } catch {
    await sql`ROLLBACK TO SAVEPOINT ward_copy_part`.execute(trx);
    return null;
  }
}

function copyContext(user: SessionUser, deps: CopyBuildDeps): HandlerContext {
  const senderId = 'ward-copy';
  return {
    senderId,
    session: { user, senderId, startedAt: 0, lastActivityAt: 0, lockedAt: null, idleMs: 0, maxMs: 0 },
    sessions: deps.sessions,
    status: () => ({
      database: 'connected',
      mode: 'server',
      detail: '',
      checkedAt: deps.now.toISOString(),
      waitingChanges: 0,
      needsAttention: 0,
    }),
    demoAccounts: () => null,
    databaseSettings: null,
    logInfo: () => undefined,
    now: () => deps.now,
    terminal: deps.terminal,
    // The copy holds no medical history: the key is never handed to it.
    medicalHistoryKey: () => null,
    signedIn: () => undefined,
  };
}
