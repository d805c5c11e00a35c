import type pg from 'pg';
import { FORMULARY } from './formulary.js';
import { DRUG_INTERACTIONS, MEDICINES } from './reference-data.js';

/**
 * The formulary (core list + FORMULARY, ≥ 300 presentations), the interacting pairs, and lots whose stock
 * arrives with a Receive row (the database moves it): two good lots each, an expired lot on every tenth
 * medicine and one expiring this month on every tenth + 5.
 */
export async function insertFormulary(client: pg.PoolClient) {
  const medicines = [...MEDICINES.map((m) => ({ ...m, is_controlled: 'is_controlled' in m ? m.is_controlled : false })), ...FORMULARY];
  await client.query(
    `INSERT INTO medicine (name, generic_name, form, strength, unit_price, is_controlled, reorder_level, drug_class, max_daily_dose, dose_unit)
     SELECT name, generic_name, form, strength, unit_price, is_controlled, 200, drug_class, max_daily_dose, dose_unit
     FROM json_to_recordset($1::json) AS m(name text, generic_name text, form text, strength text, unit_price numeric,
                                          is_controlled boolean, drug_class text, max_daily_dose numeric, dose_unit text)
     ON CONFLICT (name, strength, form) DO NOTHING`,
    [JSON.stringify(medicines)],
  );
  for (const pair of DRUG_INTERACTIONS)
    await client.query(
      `INSERT INTO drug_interactions (generic_a, generic_b, severity, advice) VALUES ($1, $2, $3, $4) ON CONFLICT (generic_a, generic_b) DO NOTHING`,
      [pair.a, pair.b, pair.severity, pair.advice],
    );
  await client.query(`
    INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date, supplier)
    SELECT m.medicine_id, 'L' || m.medicine_id || '-' || n, DATE '2027-01-01' + (n * 180 + m.medicine_id % 90 * 7), 'Demo Wholesale'
    FROM medicine m CROSS JOIN generate_series(1, 2) AS n
    UNION ALL
    SELECT m.medicine_id, 'L' || m.medicine_id || '-E', CURRENT_DATE - 20, 'Demo Wholesale' FROM medicine m WHERE m.medicine_id % 10 = 0
    UNION ALL
    SELECT m.medicine_id, 'L' || m.medicine_id || '-S', (date_trunc('month', CURRENT_DATE) + INTERVAL '1 month - 1 day')::date, 'Demo Wholesale'
    FROM medicine m WHERE m.medicine_id % 10 = 5
    ON CONFLICT (medicine_id, lot_number) DO NOTHING`);
  await client.query(`
    INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, performed_by, notes)
    SELECT l.medicine_id, l.lot_id, 'Receive', CASE right(l.lot_number, 1) WHEN '1' THEN 250 WHEN '2' THEN 500 ELSE 40 END,
           app_current_user_id(), 'Demo delivery'
    FROM medicine_lots l
    WHERE l.lot_number ~ '^L[0-9]+-[12ES]$' AND NOT EXISTS (SELECT 1 FROM pharmacy p WHERE p.lot_id = l.lot_id)`);
}

/** A database before migration 020 (tests upgrade from one) keeps stock on the lot itself, with no ledger rows. */
export async function insertFormularyBefore020(client: pg.PoolClient) {
  for (const m of MEDICINES)
    await client.query(
      `INSERT INTO medicine (name, generic_name, form, strength, unit_price, is_controlled, reorder_level)
       VALUES ($1, $2, $3, $4, $5, $6, 200) ON CONFLICT (name, strength, form) DO NOTHING`,
      [m.name, m.generic_name, m.form, m.strength, m.unit_price, 'is_controlled' in m ? m.is_controlled : false],
    );
  await client.query(`
    INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date, quantity_on_hand)
    SELECT m.medicine_id, 'L' || m.medicine_id || '-' || n, DATE '2027-01-01' + (n * 180 + m.medicine_id * 7), 250 * n
    FROM medicine m CROSS JOIN generate_series(1, 2) AS n
    ON CONFLICT (medicine_id, lot_number) DO NOTHING`);
}
