// Tamper evidence (issue 12, migration 026): every audit row is linked into a hash chain at its
// commit. Someone with the owner's rights edits a row, deletes one, deletes a row with its link,
// forges one past the trigger and one with a made-up time, cuts off the newest links: the verifier
// (the same one `npm run audit:verify` and Admin → Audit run) names each, the first one first.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../main/audit/index.js';
import { createKysely } from '../../main/db/connection.js';
import { runAuditVerifyCli } from '../../scripts/audit-verify.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
/** The verifier as `npm run audit:verify` runs it: as the owner, who reads the whole trail. */
let verify: () => ReturnType<typeof verifyAuditChain>;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 24);
  const ownerDb = createKysely(database.ownerPool);
  verify = () => verifyAuditChain(ownerDb);
});
afterAll(() => database?.drop());

/** As the owner, with row level security switched off for the one statement, as a DBA could. */
async function asOwnerPastRls(statement: string, params: unknown[] = []) {
  const owner = await database.ownerPool.connect();
  try {
    await owner.query('BEGIN');
    await owner.query('ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY');
    const result = await owner.query(statement, params);
    await owner.query('ALTER TABLE audit_log FORCE ROW LEVEL SECURITY');
    await owner.query('COMMIT');
    return result;
  } catch (error) {
    await owner.query('ROLLBACK');
    throw error;
  } finally {
    owner.release();
  }
}

const chartOpen = (client: pg.PoolClient, terminal: string) =>
  client.query(`SELECT record_auth_event('CHART_OPEN', NULL, NULL, $1, '{"patient_id": 1}')`, [terminal]);

const logIds = async () =>
  (await database.ownerPool.query<{ log_id: number }>('SELECT c.log_id FROM audit_chain c ORDER BY c.position')).rows.map((r) => r.log_id);

describe('the audit hash chain', () => {
  it('links every row: migration rows (backfilled), the demo load and 20 writers at once', async () => {
    const before = await verify();
    expect(before.breaks).toEqual([]);
    // 20 terminals, 10 transactions each, 3 audit rows per transaction, all at once.
    await Promise.all(
      Array.from({ length: 20 }, (_, writer) =>
        (async () => {
          for (let t = 0; t < 10; t += 1)
            await asUser(
              database.appPool,
              'admin@demo.clinic',
              async (client) => {
                for (let r = 0; r < 3; r += 1) await chartOpen(client, `race-${writer}`);
              },
              true,
            );
        })(),
      ),
    );
    const after = await verify();
    console.log(
      `chain: ${before.checkedRows} rows before the race, ${after.checkedRows} after 20 writers × 10 transactions × 3 rows; breaks: ${after.breaks.length}`,
    );
    expect(after.checkedRows - before.checkedRows).toBe(600);
    expect(after).toMatchObject({ intact: true, breaks: [], headPosition: after.checkedRows });
  });

  it('does not deadlock two transactions that each wait for the other (links are made at commit)', async () => {
    const first = await database.appPool.connect();
    const second = await database.appPool.connect();
    const admin = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'admin@demo.clinic'`)).rows[0].user_id;
    try {
      for (const c of [first, second]) await c.query(`BEGIN; SELECT set_config('app.current_user_id', '${admin}', true)`);
      await second.query('SELECT * FROM monitoring_settings FOR UPDATE'); // second holds the row
      await chartOpen(second, 'deadlock-b');
      await chartOpen(first, 'deadlock-a'); // first has an audit row …
      const waiting = first.query('SELECT * FROM monitoring_settings FOR UPDATE'); // … and waits for second's row
      await second.query('COMMIT'); // second links its row at commit: nothing of first's blocks it
      await waiting;
      await first.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
    expect((await verify()).intact).toBe(true);
  });

  it('cannot be written by the app role, even as an administrator, and is read only with audit.read', async () => {
    const attempts = [
      `INSERT INTO audit_chain (position, log_id, row_hash) VALUES (999999, 1, '\\x00')`,
      'UPDATE audit_chain_head SET sealed = false',
      'DELETE FROM audit_chain',
      'DELETE FROM audit_patient_rows',
      `UPDATE audit_log SET operation = 'X'`,
    ];
    for (const statement of attempts)
      await expect(
        asUser(database.appPool, 'admin@demo.clinic', (c) => c.query(statement)),
        statement,
      ).rejects.toMatchObject({ code: '42501' });
    const seen = async (email: string) =>
      asUser(
        database.appPool,
        email,
        async (c) =>
          (
            await c.query(
              'SELECT (SELECT count(*)::int FROM audit_chain) AS links, (SELECT count(*)::int FROM audit_patient_rows) AS patients',
            )
          ).rows[0],
      );
    expect(await seen('nurse@demo.clinic')).toEqual({ links: 0, patients: 0 });
    expect((await seen('admin@demo.clinic')).links).toBeGreaterThan(0);
  });

  it('names each tampering done with the owner rights, the first one first', async () => {
    // Five rows from the middle of the trail, in chain order, and the newest.
    const ids = await logIds();
    const [edited, deleted, deletedWithLink] = [ids[100]!, ids[200]!, ids[300]!];
    const afterDeletedWithLink = ids[301]!;

    await asOwnerPastRls(`UPDATE audit_log SET new_values = new_values || '{"terminal": "somewhere else"}' WHERE log_id = $1`, [edited]);
    await asOwnerPastRls('DELETE FROM audit_log WHERE log_id = $1', [deleted]);
    await asOwnerPastRls('DELETE FROM audit_log WHERE log_id = $1', [deletedWithLink]);
    await database.ownerPool.query('DELETE FROM audit_chain WHERE log_id = $1', [deletedWithLink]);
    // A forged row written past the chain's trigger, and one through it with a made-up time.
    const owner = await database.ownerPool.connect();
    let forgedPastTrigger: number;
    try {
      await owner.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain');
      forgedPastTrigger = (
        await owner.query(
          `INSERT INTO audit_log (table_name, operation, new_values) VALUES ('patients', 'CHART_OPEN', '{"patient_id": 7}') RETURNING log_id`,
        )
      ).rows[0].log_id;
      await owner.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain');
    } finally {
      owner.release();
    }
    const backdated = (
      await database.ownerPool.query(
        `INSERT INTO audit_log (table_name, operation, new_values, "timestamp") VALUES ('patients', 'CHART_OPEN', '{"patient_id": 8}', '2025-01-01T09:00:00Z') RETURNING log_id`,
      )
    ).rows[0].log_id;

    const report = await verify();
    console.log(`tampered chain (${report.checkedRows} rows):\n  ${report.breaks.map((b) => b.reason).join('\n  ')}`);
    expect(report.intact).toBe(false);
    expect(report.breaks.map((b) => b.logId)).toEqual([edited, deleted, afterDeletedWithLink, backdated, forgedPastTrigger!]);
    expect(report.breaks[0]!.reason).toBe(`Audit row ${edited} has been changed since it was written.`);
    expect(report.breaks[1]!.reason).toBe(`Audit row ${deleted} has been deleted.`);
    expect(report.breaks[2]!.reason).toBe(
      `Link 301 is missing after audit row ${ids[299]}: audit rows and their links were removed before audit row ${afterDeletedWithLink}.`,
    );
    expect(report.breaks[3]!.reason).toBe(`Audit row ${backdated} carries a time other than when it was written.`);
    expect(report.breaks[4]!.reason).toBe(`Audit row ${forgedPastTrigger!} is not on the chain: it was written past the chain's trigger.`);

    // The command line says the same, and fails.
    const lines: string[] = [];
    const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    expect(await runAuditVerifyCli([], { ...process.env, DATABASE_URL: database.ownerUrl }, out)).toBe(1);
    expect(lines.join('\n')).toContain(`BROKEN. First broken link: Audit row ${edited} has been changed since it was written.`);
  });

  it('sees the newest links cut off (the tail of the trail removed with its links)', async () => {
    const ids = await logIds();
    const last = ids[ids.length - 1]!;
    await asOwnerPastRls('DELETE FROM audit_log WHERE log_id = $1', [last]);
    await database.ownerPool.query('DELETE FROM audit_chain WHERE log_id = $1', [last]);
    const report = await verify();
    expect(report.breaks.at(-2)!.reason).toMatch(/^The newest links after position \d+ are gone: the chain's head records position \d+\.$/);
  });
});

describe('npm run audit:verify', () => {
  it('says intact on an untouched trail, prints the head, and with that head kept catches a rebuilt chain', async () => {
    const clean = await createTestDatabase('clinic_demo', 1);
    try {
      const run = async (argv: string[]) => {
        const lines: string[] = [];
        const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
        const code = await runAuditVerifyCli(argv, { ...process.env, DATABASE_URL: clean.ownerUrl }, out);
        return { code, text: lines.join('\n') };
      };
      const first = await run([]);
      console.log(first.text);
      expect(first.code).toBe(0);
      const kept = /Head: (\d+:[0-9a-f]{64})/.exec(first.text)![1]!;
      expect(await run(['--anchor', kept])).toMatchObject({ code: 0 });
      expect(await run(['--anchor', 'yesterday'])).toMatchObject({ code: 2 });

      // The owner edits row 10 and rebuilds every link from there on, the head too: the chain alone looks intact …
      await clean.ownerPool.query(`
        DO $$
        DECLARE l RECORD; prev BYTEA;
        BEGIN
          ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY;
          UPDATE audit_log SET new_values = '{"rewritten": true}' WHERE log_id = (SELECT log_id FROM audit_chain WHERE position = 10);
          ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
          SELECT row_hash INTO prev FROM audit_chain WHERE position = 9;
          FOR l IN SELECT c.position, a AS row FROM audit_chain c JOIN audit_log a ON a.log_id = c.log_id WHERE c.position >= 10 ORDER BY c.position LOOP
            UPDATE audit_chain SET prev_hash = prev, row_hash = sha256(prev || audit_row_digest(l.row)) WHERE position = l.position RETURNING row_hash INTO prev;
          END LOOP;
          UPDATE audit_chain_head h SET last_hash = c.row_hash FROM audit_chain c WHERE c.position = h.last_position;
        END $$`);
      expect(await run([])).toMatchObject({ code: 0 });
      // … but not against the head kept from before.
      const anchored = await run(['--anchor', kept]);
      expect(anchored.code).toBe(1);
      expect(anchored.text).toContain(
        `The link at position ${kept.split(':')[0]} is not the one kept from an earlier check: the chain was rebuilt.`,
      );
    } finally {
      await clean.drop();
    }
  });
});
