// Admin → Audit (issue 12): audit.read filters by patient, user, table, action and date, pages by
// keyset (log id) so a trail of a million rows never needs an OFFSET, answers "who opened this
// chart", exports CSV a spreadsheet cannot run, and runs the chain check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, ChainReport } from '../../contract/index.js';
import { auditCsv, csvCell } from '../../main/audit/audit-csv.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
let harness: ReturnType<typeof createCoreHarness>;
let patientId: number;
let nurseId: string;
const ADMIN = 'admin-window';
const OPENINGS = 1200;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
  harness = createCoreHarness(database);
  await harness.signIn(ADMIN, 'admin@demo.clinic');
  await harness.signIn('nurse-window', 'nurse@demo.clinic');
  patientId = (await database.ownerPool.query('SELECT patient_id FROM patients ORDER BY patient_id LIMIT 1')).rows[0].patient_id;
  nurseId = (await database.ownerPool.query(`SELECT user_id FROM users WHERE email = 'nurse@demo.clinic'`)).rows[0].user_id;
  // The nurse opens this patient's chart 1,200 times (one transaction), as the sign-in function records it.
  await asUser(
    database.appPool,
    'nurse@demo.clinic',
    (c) =>
      c.query(
        `SELECT record_auth_event('CHART_OPEN', NULL, NULL, 'ward-7', jsonb_build_object('patient_id', $1::int)) FROM generate_series(1, $2)`,
        [patientId, OPENINGS],
      ),
    true,
  );
});
afterAll(async () => {
  await harness?.core.close();
  await database?.drop();
});

const list = async (input: object) => {
  const result = await harness.core.dispatch(ADMIN, 'audit/list-entries', input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { rows: AuditEntry[]; nextBefore: number | null };
};

describe('the audit viewer', () => {
  it('pages by keyset: newest first, no row twice, none skipped, to the end', async () => {
    const filter = { patientId, action: 'CHART_OPEN' };
    const seen: number[] = [];
    const sizes: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await list({ filter, limit: 500, ...(before ? { before } : {}) });
      sizes.push(page.rows.length);
      seen.push(...page.rows.map((r) => r.logId));
      if (page.nextBefore === null) break;
      expect(page.nextBefore).toBe(page.rows.at(-1)!.logId);
      before = page.nextBefore;
    }
    console.log(`pages of ${sizes.join(', ')} rows for ${OPENINGS} chart openings`);
    expect(sizes).toEqual([500, 500, 200]);
    expect(new Set(seen).size).toBe(OPENINGS);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it('answers who opened a chart, and filters by user, table and date', async () => {
    const { rows } = await list({ filter: { patientId, action: 'CHART_OPEN' }, limit: 1 });
    expect(rows[0]).toMatchObject({ tableName: 'patients', action: 'CHART_OPEN', userId: nurseId, patientId: String(patientId) });
    expect(rows[0]!.userName).toBeTruthy();
    expect(rows[0]!.detail).toContain('"terminal": "ward-7"');

    const byUser = await list({ filter: { userId: nurseId, tableName: 'patients' }, limit: 500 });
    expect(byUser.rows.every((r) => r.userId === nurseId && r.tableName === 'patients')).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await list({ filter: { patientId, from: tomorrow }, limit: 10 })).rows).toEqual([]);
    expect((await list({ filter: { patientId, action: 'CHART_OPEN', to: tomorrow, from: today }, limit: 10 })).rows).toHaveLength(10);
    expect((await list({ filter: { tableName: 'no_such_table' }, limit: 10 })).rows).toEqual([]);
  });

  it('is for audit.read only, and refuses filters that are not plain values', async () => {
    expect(await harness.core.dispatch('nurse-window', 'audit/list-entries', { filter: {} })).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    expect(await harness.core.dispatch('nurse-window', 'audit/verify-chain', {})).toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    });
    for (const filter of [{ tableName: "patients' OR 1=1 --" }, { action: 'DROP' }, { userId: 'me' }, { from: 'yesterday' }, { extra: 1 }])
      expect(await harness.core.dispatch(ADMIN, 'audit/list-entries', { filter })).toMatchObject({
        ok: false,
        error: { code: 'Validation' },
      });
  });

  it('exports CSV whose cells a spreadsheet keeps as text', async () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    for (const risky of ['+1+1', '-2+3', '@SUM(A1)', '\tTAB']) expect(csvCell(risky).startsWith(`"'`)).toBe(true);
    expect(csvCell(42)).toBe('"42"');
    const result = await harness.core.dispatch(ADMIN, 'audit/export-csv', { filter: { patientId, action: 'CHART_OPEN' } });
    if (!result.ok) throw new Error(result.error.message);
    const { csv, rowCount, truncated } = result.value as { csv: string; rowCount: number; truncated: boolean };
    expect({ rowCount, truncated }).toEqual({ rowCount: OPENINGS, truncated: false });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"Log id","Time (UTC)","Table","Action","User id","User","Database login","Patient id","Detail"');
    expect(lines).toHaveLength(OPENINGS + 1);
    expect(
      auditCsv([
        { logId: 1, at: 'x', tableName: 't', action: 'a', userId: null, userName: '=cmd', dbLogin: null, patientId: null, detail: '{}' },
      ]),
    ).toContain(`"'=cmd"`);
  });

  it('checks the chain from Admin: intact, with the head hash to keep', async () => {
    const result = await harness.core.dispatch(ADMIN, 'audit/verify-chain', {});
    if (!result.ok) throw new Error(result.error.message);
    const report = result.value as ChainReport;
    console.log(`Admin → Audit check: ${report.checkedRows} rows, intact ${report.intact}, head ${report.headHash}`);
    expect(report).toMatchObject({ intact: true, breaks: [] });
    expect(report.checkedRows).toBeGreaterThan(OPENINGS);
  });
});
