// Audit chain check: npm run audit:verify
// Walks the audit trail's hash chain (migration 026) and names the first broken link: a row changed,
// deleted, inserted past the chain's trigger or with a made-up time, or the newest links cut off.
// Connects to DATABASE_URL as the schema owner (who may read the whole trail). Exit 0: intact; 1: broken.
// --anchor POSITION:HASH (a head an earlier run printed, kept elsewhere) also proves the chain was not rebuilt.
import { fileURLToPath } from 'node:url';
import { createKysely, createPool } from '../main/db/connection.js';
import { verifyAuditChain } from '../main/audit/index.js';

const ANCHOR = /^(\d+):([0-9a-fA-F]{64})$/;

export async function runAuditVerifyCli(argv: string[], env = process.env, out: Pick<Console, 'log' | 'error'> = console): Promise<number> {
  // --anchor POSITION:HASH — a head printed by an earlier run and kept elsewhere: the chain must still hold it.
  const anchorArg = argv[0] === '--anchor' ? argv[1] : undefined;
  const anchorMatch = anchorArg ? ANCHOR.exec(anchorArg) : null;
  if ((argv.length > 0 && !anchorMatch) || argv.length > 2) {
    out.error('Usage: npm run audit:verify [-- --anchor POSITION:HASH]   (POSITION and HASH as an earlier run printed them)');
    return 2;
  }
  const anchor = anchorMatch ? { position: Number(anchorMatch[1]), hash: anchorMatch[2]! } : undefined;
  if (!env.DATABASE_URL) {
    out.error('DATABASE_URL is not set. Example: DATABASE_URL=postgres://clinic_owner@db.hospital.local/clinic npm run audit:verify');
    return 2;
  }
  const db = createKysely(createPool({ connectionString: env.DATABASE_URL, max: 1 }, env));
  try {
    let shown = 0;
    const report = await verifyAuditChain(db, {
      anchor,
      onProgress: (checked) => {
        if (checked - shown >= 100_000) out.log(`checked ${(shown = checked).toLocaleString('en-GB')} rows…`);
      },
    });
    out.log(`Audit chain: ${report.checkedRows.toLocaleString('en-GB')} rows checked, head at position ${report.headPosition}.`);
    out.log(`Head: ${report.headPosition}:${report.headHash ?? '(none)'}`);
    out.log(`Keep that line elsewhere; a later run with --anchor ${report.headPosition}:<hash> proves the chain was not rebuilt.`);
    if (report.intact) {
      out.log('Intact: every audit row is as it was written, and none is missing.');
      return 0;
    }
    out.error(`BROKEN. First broken link: ${report.breaks[0]!.reason}`);
    for (const found of report.breaks.slice(1)) out.error(`  also: ${found.reason}`);
    return 1;
  } catch (error) {
    out.error(`Could not check the audit chain: ${(error as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runAuditVerifyCli(process.argv.slice(2));
}
