import type pg from 'pg';

// Demo pharmacy work on top of the formulary: prescriptions in every state (scaled with the patients:
// one order per 50, at least 60), dispensed ones through Dispense rows from a lot received for them (so
// every lot's stock still equals its ledger), controlled drugs dispensed with a witness, allergies and
// weights on some patients, a few medicines under their reorder level, and an open count discrepancy.
// Runs as the demo administrator inside the seed's transaction; only into an empty prescription book.

/** One order per this many patients. */
const PATIENTS_PER_ORDER = 50;
const MIN_ORDERS = 60;

// The state of order n (n % 20): 30% still open, as in a pharmacy in mid-shift.
const STATE_OF = `CASE WHEN n % 20 < 3 THEN 'Active' WHEN n % 20 = 3 THEN 'Queried' WHEN n % 20 < 6 THEN 'Verified'
  WHEN n % 20 = 6 THEN 'PartiallyDispensed' WHEN n % 20 < 13 THEN 'Dispensed' WHEN n % 20 < 15 THEN 'Cancelled' ELSE 'Completed' END`;

export interface PharmacyDemoSummary {
  orders: number;
  dispenses: number;
  allergies: number;
}

export async function insertPharmacyDemo(client: pg.PoolClient, patients: number): Promise<PharmacyDemoSummary> {
  const ready = await client.query<{ ready: boolean; empty: boolean }>(
    `SELECT to_regclass('public.patient_weights') IS NOT NULL AS ready, NOT EXISTS (SELECT 1 FROM prescriptions) AS empty`,
  );
  if (!ready.rows[0]?.ready || !ready.rows[0].empty) return { orders: 0, dispenses: 0, allergies: 0 };
  const people = await client.query<{ role: string; user_id: string }>(
    `SELECT split_part(email, '@', 1) AS role, user_id FROM users WHERE email IN ('pharmacist@demo.clinic', 'nurse@demo.clinic', 'doctor@demo.clinic')`,
  );
  const id = Object.fromEntries(people.rows.map((r) => [r.role, r.user_id]));
  if (!id.pharmacist || !id.nurse || !id.doctor) return { orders: 0, dispenses: 0, allergies: 0 };
  const orders = Math.max(MIN_ORDERS, Math.round(patients / PATIENTS_PER_ORDER));

  // Orders: spread over patients that have a caring department, each by a doctor of that department
  // (the demo doctor's patients in General Medicine); every seventh a controlled drug.
  const inserted = await client.query(
    `WITH pts AS (SELECT array_agg(patient_id ORDER BY patient_id) AS ids FROM patients WHERE department_id IS NOT NULL),
          meds AS (SELECT array_agg(medicine_id ORDER BY medicine_id) FILTER (WHERE NOT is_controlled) AS plain,
                          array_agg(medicine_id ORDER BY medicine_id) FILTER (WHERE is_controlled) AS controlled
                   FROM medicine WHERE is_active AND dose_unit IS NOT NULL),
          picked AS (
            SELECT n, pts.ids[1 + (n * 7919) % cardinality(pts.ids)] AS patient_id,
                   CASE WHEN n % 7 = 3 AND cardinality(meds.controlled) > 0 THEN meds.controlled[1 + n % cardinality(meds.controlled)]
                        ELSE meds.plain[1 + (n * 31) % cardinality(meds.plain)] END AS medicine_id
            FROM generate_series(0, $1::int - 1) AS n, pts, meds WHERE cardinality(pts.ids) > 0)
     INSERT INTO prescriptions (patient_id, doctor_id, medicine_id, dosage, dose_amount, dose_unit, route, frequency, frequency_code,
                                duration_days, quantity, instructions, urgency, status, verified_by, verified_at, queried_reason, queried_by,
                                cancelled_reason, cancelled_by, cancelled_at, prescribed_at)
     SELECT x.patient_id, d.doctor_id, x.medicine_id, trim_scale(x.dose) || ' ' || m.dose_unit || ' ' || x.route || ' TDS', x.dose, m.dose_unit,
            x.route, 'TDS', 'TDS', 7, 21, CASE WHEN n % 4 = 0 THEN 'Take with food' END,
            CASE WHEN n % 25 = 0 THEN 'STAT' WHEN n % 8 = 0 THEN 'urgent' ELSE 'routine' END,
            CASE x.state WHEN 'Cancelled' THEN 'Cancelled' WHEN 'Active' THEN 'Active' WHEN 'Queried' THEN 'Queried' ELSE 'Verified' END,
            CASE WHEN x.state NOT IN ('Active', 'Queried', 'Cancelled') THEN $2::uuid END,
            CASE WHEN x.state NOT IN ('Active', 'Queried', 'Cancelled') THEN x.at + interval '40 minutes' END,
            CASE WHEN x.state = 'Queried' THEN 'Please confirm the dose: the patient''s renal function has dropped' END,
            CASE WHEN x.state = 'Queried' THEN $2::uuid END,
            CASE WHEN x.state = 'Cancelled' THEN 'Stopped on the ward round' END,
            CASE WHEN x.state = 'Cancelled' THEN $3::uuid END,
            CASE WHEN x.state = 'Cancelled' THEN x.at + interval '1 day' END,
            x.at
     FROM (SELECT p.*, ${STATE_OF} AS state,
                  now() - (CASE WHEN ${STATE_OF} IN ('Active', 'Queried', 'Verified', 'PartiallyDispensed') THEN n % 48 ELSE 48 + n % 1400 END) * interval '1 hour' AS at,
                  CASE md.form WHEN 'injection' THEN 'iv' WHEN 'infusion' THEN 'iv' WHEN 'cream' THEN 'topical' WHEN 'ointment' THEN 'topical'
                       WHEN 'patch' THEN 'topical' WHEN 'inhaler' THEN 'inhaled' WHEN 'suppository' THEN 'rectal' ELSE 'oral' END AS route,
                  CASE WHEN md.max_daily_dose IS NULL THEN 1 ELSE greatest(round(md.max_daily_dose / 6, 3), 0.001) END AS dose
           FROM picked p JOIN medicine md ON md.medicine_id = p.medicine_id) x
     JOIN medicine m ON m.medicine_id = x.medicine_id
     JOIN patients pt ON pt.patient_id = x.patient_id
     CROSS JOIN LATERAL (SELECT min(doctor_id) AS doctor_id FROM doctors WHERE department_id = pt.department_id) d0
     CROSS JOIN LATERAL (SELECT COALESCE(d0.doctor_id, (SELECT doctor_id FROM doctors WHERE user_id = $3::uuid)) AS doctor_id) d
     ORDER BY n`,
    [orders, id.pharmacist, id.doctor],
  );

  // Stock for what is dispensed arrives first, one lot per medicine, received through the ledger.
  // Order n was written n-th (the book was empty), so its id tells its slot of the 20 states above.
  await client.query(
    `CREATE TEMP TABLE demo_dispenses ON COMMIT DROP AS
     SELECT p.prescription_id, p.patient_id, p.medicine_id, p.prescribed_at, s.slot, CASE WHEN s.slot = 6 THEN 10 ELSE p.quantity END AS take
     FROM prescriptions p
     CROSS JOIN LATERAL (SELECT (p.prescription_id - (SELECT min(prescription_id) FROM prescriptions)) % 20 AS slot) s
     WHERE p.status = 'Verified' AND (s.slot BETWEEN 6 AND 12 OR s.slot >= 15)`,
  );
  await client.query(`
    INSERT INTO medicine_lots (medicine_id, lot_number, expiry_date, supplier)
    SELECT DISTINCT medicine_id, 'RX' || medicine_id, CURRENT_DATE + 400, 'Demo Wholesale' FROM demo_dispenses
    ON CONFLICT (medicine_id, lot_number) DO NOTHING`);
  await client.query(
    `INSERT INTO pharmacy (medicine_id, lot_id, transaction_type, quantity, performed_by, notes, transaction_date)
     SELECT l.medicine_id, l.lot_id, 'Receive', d.total + 40, $1, 'Demo delivery', now() - interval '70 days'
     FROM (SELECT medicine_id, sum(take)::int AS total FROM demo_dispenses GROUP BY medicine_id) d
     JOIN medicine_lots l ON l.medicine_id = d.medicine_id AND l.lot_number = 'RX' || d.medicine_id`,
    [id.pharmacist],
  );
  // The database counts each Dispense row against its order and sets PartiallyDispensed / Dispensed.
  const dispensed = await client.query(
    `INSERT INTO pharmacy (medicine_id, lot_id, prescription_id, patient_id, transaction_type, quantity, performed_by, witnessed_by, notes, transaction_date)
     SELECT d.medicine_id, l.lot_id, d.prescription_id, d.patient_id, 'Dispense', -d.take, $1::uuid,
            CASE WHEN m.is_controlled THEN $2::uuid END, 'Demo dispense', d.prescribed_at + interval '3 hours'
     FROM demo_dispenses d JOIN medicine m ON m.medicine_id = d.medicine_id
     JOIN medicine_lots l ON l.medicine_id = d.medicine_id AND l.lot_number = 'RX' || d.medicine_id
     ORDER BY d.prescription_id`,
    [id.pharmacist, id.nurse],
  );
  await client.query(
    `UPDATE prescriptions SET status = 'Completed' WHERE prescription_id IN (SELECT prescription_id FROM demo_dispenses WHERE slot >= 15)`,
  );

  // Allergies on every ninth patient with an order (one is allergic to what they were prescribed: a fired check to look at).
  const allergies = await client.query(
    `INSERT INTO patient_allergies (patient_id, substance, match_kind, reaction, severity, recorded_by)
     SELECT DISTINCT ON (p.patient_id) p.patient_id, a.substance, a.kind, a.reaction, a.severity, $1::uuid
     FROM prescriptions p
     JOIN (VALUES (0, 'penicillin', 'class', 'Urticarial rash', 'severe'), (1, 'aspirin', 'generic', 'Bronchospasm', 'life-threatening'),
                  (2, 'nsaid', 'class', 'Gastric bleed', 'moderate'), (3, 'codeine', 'generic', 'Vomiting', 'mild'),
                  (4, 'sulfonamide', 'class', 'Stevens-Johnson syndrome', 'life-threatening')) AS a(k, substance, kind, reaction, severity)
       ON a.k = (p.patient_id / 9) % 5
     WHERE p.patient_id % 9 = 0
     ORDER BY p.patient_id`,
    [id.doctor],
  );
  await client.query(
    `INSERT INTO patient_weights (patient_id, weight_kg, recorded_by, recorded_at)
     SELECT DISTINCT patient_id, 48 + (patient_id * 37) % 55 + 0.5, $1::uuid, now() - interval '2 days' FROM prescriptions WHERE patient_id % 3 = 0`,
    [id.doctor],
  );
  // A few medicines under their reorder level (the low-stock report), and a controlled drug counted two short.
  await client.query(`UPDATE medicine SET reorder_level = 1000 WHERE medicine_id % 29 = 3 AND is_active`);
  await client.query(
    `INSERT INTO controlled_drug_counts (medicine_id, counted_quantity, note, counted_by, witnessed_by)
     SELECT m.medicine_id, greatest(s.stock - 2, 0), 'Two ampoules not found at the weekly count', $1::uuid, $2::uuid
     FROM medicine m CROSS JOIN LATERAL (SELECT sum(quantity_on_hand)::int AS stock FROM medicine_lots WHERE medicine_id = m.medicine_id) s
     WHERE m.is_controlled AND s.stock > 2 ORDER BY m.medicine_id LIMIT 1`,
    [id.pharmacist, id.nurse],
  );
  return { orders: inserted.rowCount ?? 0, dispenses: dispensed.rowCount ?? 0, allergies: allergies.rowCount ?? 0 };
}
