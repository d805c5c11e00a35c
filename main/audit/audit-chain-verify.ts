import type { Kysely } from 'kysely';
import type { ChainBreak, ChainReport } from '../../contract/index.js';
import type { Database } from '../db/database.js';
import { findChainHead, findChainLinks, findUnlinkedAuditRows } from './audit-chain.repository.js';

const BATCH = 5000;
const MAX_BREAKS = 20;

const same = (a: Buffer | null, b: Buffer | null) => (a === null || b === null ? a === b : a.equals(b));

/**
 * Walks the audit hash chain from its first link and reports, in chain order, every place it is
 * broken: a row changed, a row deleted, links removed, a row written past the trigger or with a
 * made-up time, or newest links cut off. One reader for `npm run audit:verify` and Admin → Audit.
 */
export async function verifyAuditChain(
  db: Kysely<Database>,
  options: {
    onProgress?: (checked: number) => void;
    /** A head hash printed by an earlier check and kept elsewhere: the chain must still hold that link. */
    anchor?: { position: number; hash: string };
  } = {},
): Promise<ChainReport> {
  const breaks: ChainBreak[] = [];
  const add = (found: ChainBreak) => void (breaks.length < MAX_BREAKS && breaks.push(found));
  const head = await findChainHead(db);
  if (!head)
    return {
      intact: false,
      checkedRows: 0,
      headPosition: 0,
      headHash: null,
      breaks: [
        { logId: null, position: null, reason: 'The audit chain has no head row: migration 026 is missing or the head was deleted.' },
      ],
    };

  let expected = 1;
  let previousHash: Buffer | null = null;
  let previousLogId: number | null = null;
  let checked = 0;
  const recorded = Number(head.last_position);
  let hashAtRecorded: Buffer | null = null;
  let anchorSeen: string | null = null;
  for (let batch = await findChainLinks(db, 0, BATCH); batch.length > 0; batch = await findChainLinks(db, expected - 1, BATCH)) {
    for (const link of batch) {
      const position = Number(link.position);
      const after = previousLogId === null ? 'at the start of the trail' : `after audit row ${previousLogId}`;
      if (position !== expected) {
        const missing = position - 1 === expected ? `Link ${expected} is` : `Links ${expected}–${position - 1} are`;
        add({
          logId: link.log_id,
          position,
          reason: `${missing} missing ${after}: audit rows and their links were removed before audit row ${link.log_id}.`,
        });
      } else if (!same(link.prev_hash, previousHash)) {
        add({
          logId: link.log_id,
          position,
          reason: `Audit row ${link.log_id} is not linked to the row before it (${after}): a row between them was removed or inserted.`,
        });
      }
      if (!link.present) add({ logId: link.log_id, position, reason: `Audit row ${link.log_id} has been deleted.` });
      else if (!same(link.recomputed, link.row_hash))
        add({ logId: link.log_id, position, reason: `Audit row ${link.log_id} has been changed since it was written.` });
      else if (link.time_mismatch)
        add({ logId: link.log_id, position, reason: `Audit row ${link.log_id} carries a time other than when it was written.` });
      if (position === recorded) hashAtRecorded = link.row_hash;
      if (position === options.anchor?.position) anchorSeen = link.row_hash.toString('hex');
      previousHash = link.row_hash;
      previousLogId = link.log_id;
      expected = position + 1;
      checked += 1;
    }
    options.onProgress?.(checked);
  }

  // The head records a link of the newest linking transaction: links cut off beyond it leave it dangling.
  if (recorded > expected - 1) {
    add({
      logId: previousLogId,
      position: expected - 1,
      reason: `The newest links after position ${expected - 1} are gone: the chain's head records position ${recorded}.`,
    });
  } else if (recorded > 0 && !same(head.last_hash, hashAtRecorded)) {
    add({
      logId: null,
      position: recorded,
      reason: `The link at position ${recorded} is not the one the chain's head recorded: the chain was rewritten from there.`,
    });
  }
  if (options.anchor && anchorSeen !== options.anchor.hash.toLowerCase()) {
    add({
      logId: null,
      position: options.anchor.position,
      reason: `The link at position ${options.anchor.position} is not the one kept from an earlier check: the chain was rebuilt.`,
    });
  }
  if (head.sealed) {
    for (const logId of await findUnlinkedAuditRows(db, MAX_BREAKS)) {
      add({ logId, position: null, reason: `Audit row ${logId} is not on the chain: it was written past the chain's trigger.` });
    }
  }
  return {
    intact: breaks.length === 0,
    checkedRows: checked,
    headPosition: expected - 1,
    headHash: previousHash?.toString('hex') ?? null,
    breaks,
  };
}
