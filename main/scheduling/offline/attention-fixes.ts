import { sql, type Kysely } from 'kysely';
import type { AttentionItem, ParsedResolveAttention } from '../../../contract/index.js';
import type { Database } from '../../db/database.js';
import { inUserTransaction } from '../../db/user-transaction.js';
import { toClinicError } from '../../ipc/error-mapping.js';
import { failure } from '../../shared/failure.js';
import type { HandlerContext, HandlerMap } from '../../ipc/handler-types.js';
import { findPatientSummary } from '../../patients/index.js';
import { attentionItem, type AttentionStore, type StoredAttention } from './attention.js';
import type { LocalView } from './local-view.js';
import type { OutboxEntry } from './outbox.js';
import { runChange } from './replay-one.js';
import { bindProvisional, createdId } from './replay-store.js';

interface FixDeps {
  db: Kysely<Database>;
  store: AttentionStore;
  handlers: HandlerMap;
  view: () => LocalView;
  logInternal: (message: string, error: unknown) => void;
  /** Runs the fix's transaction; with a read replica, the router's write path (db/replica-routing.ts). */
  write?: typeof inUserTransaction;
}

/**
 * Applies one fix from the Needs-attention inbox, online, as the user pressing the key (the audit
 * trail names them). A fix for a walk-in's registration also sends the bookings that waited on it.
 * The inbox file changes only after the transaction has committed.
 */
export async function resolveAttention(request: ParsedResolveAttention, ctx: HandlerContext, deps: FixDeps): Promise<AttentionItem[]> {
  const stored = deps.store.find(request.key);
  if (!stored) throw failure('NotFound', 'This item has already been dealt with.');
  if (!stored.item.fixes.includes(request.fix)) throw failure('Validation', 'That fix does not apply to this item.');
  const userId = ctx.session!.user.userId;
  const learned: Record<string, number> = {};
  let items = deps.store.items();
  const without = (key: string) => (items = items.filter((s) => s.item.key !== key));

  if (request.fix === 'discard') {
    const dropped = new Set([request.key]);
    // What waited on a discarded change cannot happen either.
    for (const s of items) if (s.item.blockedBy && dropped.has(s.item.blockedBy)) dropped.add(s.item.key);
    deps.store.replace(items.filter((s) => !dropped.has(s.item.key)));
    return deps.store.items().map((s) => s.item);
  }

  await (deps.write ?? inUserTransaction)(deps.db, userId, async (trx) => {
    // Walk-ins and bookings are bound to the server ids learned at replay, or by fixes made just now.
    const bind = (entry: OutboxEntry) => bindProvisional(entry, (from) => learned[from] ?? deps.store.serverId(from));
    if (request.fix === 'book-slot') {
      await run(trx, stored.entry.channel, { ...(await bind(stored.entry)), slot: request.slot }, ctx, deps.handlers);
      without(request.key);
      return;
    }
    let patientId: number;
    if (request.fix === 'use-patient') {
      if (!(await findPatientSummary(trx, request.patientId))) throw failure('NotFound', `No patient with id ${request.patientId}.`);
      patientId = request.patientId;
    } else {
      const value = (await run(
        trx,
        'patients/register-patient',
        { ...(stored.entry.input as object), confirmNotDuplicate: true },
        ctx,
        deps.handlers,
      )) as { patient?: { patientId: number } };
      patientId = value.patient!.patientId;
    }
    learned[request.key] = patientId;
    without(request.key);
    items = await sendWaiting(trx, request.key, items, ctx, deps, bind, learned);
  });
  deps.store.replace(items, learned);
  return deps.store.items().map((s) => s.item);
}

/** Sends the changes that waited on `key`, in order; one that clashes becomes its own item. */
async function sendWaiting(
  trx: Kysely<Database>,
  key: string,
  items: StoredAttention[],
  ctx: HandlerContext,
  deps: FixDeps,
  bind: (entry: OutboxEntry) => Promise<Record<string, unknown>>,
  learned: Record<string, number>,
): Promise<StoredAttention[]> {
  const ready = [key];
  let remaining = items;
  while (ready.length > 0) {
    const settled = ready.shift()!;
    for (const waiting of remaining.filter((s) => s.item.blockedBy === settled)) {
      await sql`SAVEPOINT attention_fix`.execute(trx);
      try {
        const value = await run(trx, waiting.entry.channel, await bind(waiting.entry), ctx, deps.handlers);
        await sql`RELEASE SAVEPOINT attention_fix`.execute(trx);
        const id = createdId(waiting.entry, value);
        if (id !== null) learned[waiting.entry.key] = id;
        remaining = remaining.filter((s) => s !== waiting);
        ready.push(waiting.entry.key);
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT attention_fix`.execute(trx);
        const clinicError = toClinicError(error, deps.logInternal);
        if (clinicError.code === 'Unavailable') throw error;
        const replaced = attentionItem(
          { key: waiting.entry.key, outcome: 'needs-attention', error: clinicError, entry: waiting.entry },
          deps.view(),
        );
        remaining = remaining.map((s) => (s === waiting ? { ...replaced, item: { ...replaced.item, summary: waiting.item.summary } } : s));
      }
    }
  }
  return remaining;
}

const run = (trx: Kysely<Database>, channel: string, input: unknown, ctx: HandlerContext, handlers: HandlerMap) =>
  runChange(trx, handlers, channel, input, ctx, 'Your role does not allow this change.');
