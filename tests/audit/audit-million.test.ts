// A trail of a million rows (opt-in: CLINIC_AUDIT_MILLION=1; it takes minutes): linking cost per
// transaction size, keyset pages deep in the trail, and a full chain check. Prints figures only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../contract/index.js';
import { verifyAuditChain } from '../../main/audit/index.js';
import { createKysely } from '../../main/db/connection.js';
import { createCoreHarness } from '../support/core-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const ROWS = Number(process.env.CLINIC_AUDIT_MILLION_ROWS ?? 1_000_000);
const PER_TRANSACTION = 10_000;

describe.skipIf(!process.env.CLINIC_AUDIT_MILLION)('a million audit rows', () => {
  let database: TestDatabase;
  let harness: ReturnType<typeof createCoreHarness>;
  beforeAll(async () => {
    database = await createTestDatabase('clinic_demo', 2);
    harness = createCoreHarness(database);
  });
  afterAll(async () => {
    await harness?.core.close();
    await database?.drop();
  });

  it('links them at commit, pages them by keyset and checks the chain', { timeout: 3_600_000 }, async () => {
    let started = performance.now();
    for (let done = 0; done < ROWS; done += PER_TRANSACTION) {
      await database.ownerPool.query(
        `INSERT INTO audit_log (table_name, operation, user_id, new_values)
         SELECT 'patients', 'CHART_OPEN', app_current_user_id(), jsonb_build_object('patient_id', g % 3000 + 1, 'terminal', 'bench')
           FROM generate_series(1, $1) g`,
        [PER_TRANSACTION],
      );
      if (done === 0) console.log(`first ${PER_TRANSACTION} rows (one transaction): ${Math.round(performance.now() - started)} ms`);
    }
    console.log(`${ROWS} rows linked in ${((performance.now() - started) / 1000).toFixed(1)} s (${PER_TRANSACTION} per transaction)`);

    await harness.signIn('admin', 'admin@demo.clinic'); // after the load: a session idle that long is locked
    const pages = async (label: string, filter: object, count: number) => {
      const times: number[] = [];
      let before: number | undefined;
      for (let page = 0; page < count; page += 1) {
        const begun = performance.now();
        const result = await harness.core.dispatch('admin', 'audit/list-entries', { filter, limit: 200, ...(before ? { before } : {}) });
        times.push(performance.now() - begun);
        if (!result.ok) throw new Error(result.error.message);
        before = (result.value as { rows: AuditEntry[]; nextBefore: number | null }).nextBefore ?? undefined;
        if (!before) break;
      }
      times.sort((a, b) => a - b);
      console.log(
        `${label}: ${times.length} pages of 200, p50 ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
      );
    };
    await pages('no filter, 50 pages deep', {}, 50);
    await pages('patient 42 (about 1 row in 3,000)', { patientId: 42 }, 10);
    await pages('patient 42, chart openings', { patientId: 42, action: 'CHART_OPEN' }, 10);
    await pages('table patients', { tableName: 'patients' }, 10);

    started = performance.now();
    const report = await verifyAuditChain(createKysely(database.ownerPool));
    console.log(
      `chain check: ${report.checkedRows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s, intact ${report.intact}`,
    );
    expect(report.intact).toBe(true);
  });
});
