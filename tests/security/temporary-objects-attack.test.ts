// The attack an attacker's review of 044 found, performed as the app's login (045): a trigger on a
// temporary table runs the login's own UPDATE at trigger depth 1, where guards that trust
// pg_trigger_depth() take it for their own trigger's write — an order marked dispensed with no ledger
// row, a bill marked paid with no payment. The database starts with PostgreSQL's default rights (any
// new database's), where the attack goes through; then migration 045 runs as it does on a migrated
// database, and the same attack is refused. Main refuses a login that could (public-schema-overload).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let attacker: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 1);
  // What every new database gives PUBLIC, and what this one had before 045.
  const superuser = new pg.Client({ connectionString: database.superuserUrl });
  await superuser.connect();
  await superuser.query(`GRANT TEMPORARY ON DATABASE ${pg.escapeIdentifier(database.name)} TO PUBLIC`).finally(() => superuser.end());
  attacker = new pg.Client({ connectionString: database.appUrl });
  await attacker.connect();
});
/** Migration 045's own text, run by the database's owner as the migrator runs it. */
const migrate045 = () =>
  database.ownerPool.query(readFileSync(path.resolve(import.meta.dirname, '../../migrations/045_no_temporary_objects.sql'), 'utf8'));
afterAll(async () => {
  await attacker?.end();
  await database?.drop();
});

const userId = async (email: string) =>
  (await database.ownerPool.query<{ user_id: string }>('SELECT user_id FROM users WHERE email = $1', [email])).rows[0]!.user_id;

/** The review's attack: a temporary table whose trigger makes `update` (about row $1) run at depth 1. */
async function attackAtDepthOne(email: string, update: string, id: number) {
  await attacker.query(`BEGIN; SELECT set_config('app.current_user_id', '${await userId(email)}', true)`);
  try {
    await attacker.query(`CREATE TEMP TABLE go (x int) ON COMMIT DROP`);
    await attacker.query(`CREATE OR REPLACE FUNCTION pg_temp.go() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${update}; RETURN NULL; END $$`);
    await attacker.query(`CREATE TRIGGER go AFTER INSERT ON pg_temp.go FOR EACH ROW EXECUTE FUNCTION pg_temp.go()`);
    await attacker.query(`INSERT INTO pg_temp.go VALUES ($1)`, [id]);
    await attacker.query('COMMIT');
    return 'went through';
  } catch (error) {
    await attacker.query('ROLLBACK');
    return (error as { code?: string }).code;
  }
}

const orderState = async (order: number) =>
  (
    await database.ownerPool.query(
      `SELECT p.status, p.dispensed_quantity,
              (SELECT count(*)::int FROM pharmacy l WHERE l.prescription_id = p.prescription_id) AS ledger_rows,
              (SELECT count(*)::int FROM audit_log a WHERE a.table_name = 'prescriptions' AND a.operation = 'UPDATE'
                 AND (a.new_values->>'prescription_id')::int = p.prescription_id) AS audit_rows
       FROM prescriptions p WHERE p.prescription_id = $1`,
      [order],
    )
  ).rows[0];
const billState = async (bill: number) =>
  (
    await database.ownerPool.query(
      `SELECT b.paid_amount::text AS paid, b.status, (SELECT count(*)::int FROM payments pm WHERE pm.bill_id = b.bill_id) AS payments
       FROM billing b WHERE b.bill_id = $1`,
      [bill],
    )
  ).rows[0];
const markDispensed = `UPDATE public.prescriptions SET dispensed_quantity = quantity, status = 'Dispensed' WHERE prescription_id = NEW.x`;
const markPaid = `UPDATE public.billing SET paid_amount = amount WHERE bill_id = NEW.x`;

describe("a temporary table's trigger cannot pass the login's writes off as a trigger's (045)", () => {
  let orders: number[];
  let bills: number[];
  beforeAll(async () => {
    orders = (
      await database.ownerPool.query<{ id: number }>(
        `SELECT prescription_id AS id FROM prescriptions WHERE status = 'Verified' AND dispensed_quantity = 0 ORDER BY 1 LIMIT 2`,
      )
    ).rows.map((r) => r.id);
    bills = (
      await database.ownerPool.query<{ id: number }>(
        `SELECT bill_id AS id FROM billing WHERE status = 'Pending' AND amount > 0 ORDER BY 1 LIMIT 2`,
      )
    ).rows.map((r) => r.id);
  });

  it("with PostgreSQL's default rights the login could mark an order dispensed with no ledger row and no audit row, and a bill paid with no payment", async () => {
    const [order, bill] = [orders[0]!, bills[0]!];
    expect(await attackAtDepthOne('pharmacist@demo.clinic', markDispensed, order)).toBe('went through');
    expect(await orderState(order)).toMatchObject({ status: 'Dispensed', ledger_rows: 0, audit_rows: 0 });
    expect(await attackAtDepthOne('frontdesk@demo.clinic', markPaid, bill)).toBe('went through');
    expect(await billState(bill)).toMatchObject({ status: 'Paid', payments: 0 });
  });

  it('after 045 the same attacks are refused and change nothing', async () => {
    await migrate045();
    const [order, bill] = [orders[1]!, bills[1]!];
    const before = [await orderState(order), await billState(bill)];
    expect(await attackAtDepthOne('pharmacist@demo.clinic', markDispensed, order)).toBe('42501');
    expect(await attackAtDepthOne('frontdesk@demo.clinic', markPaid, bill)).toBe('42501');
    expect([await orderState(order), await billState(bill)]).toEqual(before);
  });

  it("after 045 the login holds no right to temporary objects, and no role but the database's owner does", async () => {
    const { rows } = await database.ownerPool.query<{ grantee: string }>(`
      SELECT COALESCE(r.rolname, 'PUBLIC') AS grantee
      FROM pg_database d, aclexplode(d.datacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
      WHERE d.datname = current_database() AND a.privilege_type = 'TEMPORARY' AND a.grantee <> d.datdba`);
    expect(rows).toEqual([]);
    expect((await attacker.query(`SELECT has_database_privilege(current_database(), 'TEMPORARY') AS may`)).rows[0].may).toBe(false);
  });
});
