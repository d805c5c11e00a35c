// What this machine can do at all: the smallest dispense-shaped transaction (read the order, take the lot,
// one ledger row, lower the lot, mark the order, one bill line) on tables with no row level security, no
// trigger and no audit, in a schema of its own. Printed beside the real dispense so a reader sees how much
// of its time is the guarantees and how much is round trips and two cores shared by twenty callers.
import type { Pool } from 'pg';

const SCHEMA = 'bench_floor';

/** Builds the floor's tables for `orders` orders over 20 medicines; returns its two ways of dispensing order i. */
export async function prepareDispenseFloor(pool: Pool, orders: number) {
  await pool.query(`
    CREATE SCHEMA ${SCHEMA};
    CREATE TABLE ${SCHEMA}.lots (lot_id int PRIMARY KEY, medicine_id int NOT NULL, quantity_on_hand int NOT NULL);
    CREATE TABLE ${SCHEMA}.orders (order_id int PRIMARY KEY, medicine_id int NOT NULL, patient_id int NOT NULL,
                                   quantity int NOT NULL, dispensed int NOT NULL DEFAULT 0, status text NOT NULL);
    CREATE TABLE ${SCHEMA}.ledger (id bigserial PRIMARY KEY, lot_id int NOT NULL, medicine_id int NOT NULL,
                                   order_id int NOT NULL, quantity int NOT NULL, at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE ${SCHEMA}.bill (id bigserial PRIMARY KEY, patient_id int NOT NULL, amount numeric NOT NULL, order_id int NOT NULL);
    CREATE INDEX ON ${SCHEMA}.lots (medicine_id, lot_id);
    INSERT INTO ${SCHEMA}.lots SELECT g, g, 100000000 FROM generate_series(1, 20) g;
    CREATE FUNCTION ${SCHEMA}.dispense(p_order int) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE o ${SCHEMA}.orders; l ${SCHEMA}.lots;
    BEGIN
      SELECT * INTO o FROM ${SCHEMA}.orders WHERE order_id = p_order AND status = 'Verified' FOR UPDATE;
      SELECT * INTO l FROM ${SCHEMA}.lots WHERE medicine_id = o.medicine_id ORDER BY lot_id LIMIT 1 FOR UPDATE;
      INSERT INTO ${SCHEMA}.ledger (lot_id, medicine_id, order_id, quantity) VALUES (l.lot_id, o.medicine_id, p_order, -o.quantity);
      UPDATE ${SCHEMA}.lots SET quantity_on_hand = quantity_on_hand - o.quantity WHERE lot_id = l.lot_id;
      UPDATE ${SCHEMA}.orders SET dispensed = o.quantity, status = 'Dispensed' WHERE order_id = p_order;
      INSERT INTO ${SCHEMA}.bill (patient_id, amount, order_id) VALUES (o.patient_id, 0.25 * o.quantity, p_order);
    END $$;`);
  await pool.query(`INSERT INTO ${SCHEMA}.orders SELECT g, 1 + g % 20, g, 21, 0, 'Verified' FROM generate_series(0, $1::int - 1) g`, [
    orders,
  ]);

  /** The statements one by one from this process, as the app sends them (7 round trips with BEGIN and COMMIT). */
  async function dispenseStatementByStatement(id: number) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const order = (
        await client.query<{ medicine_id: number; patient_id: number; quantity: number }>({
          name: 'floor-order',
          text: `SELECT * FROM ${SCHEMA}.orders WHERE order_id = $1 AND status = 'Verified' FOR UPDATE`,
          values: [id],
        })
      ).rows[0]!;
      const lot = (
        await client.query<{ lot_id: number }>({
          name: 'floor-lot',
          text: `SELECT * FROM ${SCHEMA}.lots WHERE medicine_id = $1 ORDER BY lot_id LIMIT 1 FOR UPDATE`,
          values: [order.medicine_id],
        })
      ).rows[0]!;
      await client.query({
        name: 'floor-ledger',
        text: `INSERT INTO ${SCHEMA}.ledger (lot_id, medicine_id, order_id, quantity) VALUES ($1, $2, $3, $4)`,
        values: [lot.lot_id, order.medicine_id, id, -order.quantity],
      });
      await client.query({
        name: 'floor-stock',
        text: `UPDATE ${SCHEMA}.lots SET quantity_on_hand = quantity_on_hand - $2 WHERE lot_id = $1`,
        values: [lot.lot_id, order.quantity],
      });
      await client.query({
        name: 'floor-status',
        text: `UPDATE ${SCHEMA}.orders SET dispensed = $2, status = 'Dispensed' WHERE order_id = $1`,
        values: [id, order.quantity],
      });
      await client.query({
        name: 'floor-bill',
        text: `INSERT INTO ${SCHEMA}.bill (patient_id, amount, order_id) VALUES ($1, $2, $3)`,
        values: [order.patient_id, 0.25 * order.quantity, id],
      });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** The same work as one server-side function: one round trip, its own transaction. */
  async function dispenseInOneCall(id: number) {
    await pool.query({ name: 'floor-call', text: `SELECT ${SCHEMA}.dispense($1)`, values: [id] });
  }

  return { dispenseStatementByStatement, dispenseInOneCall };
}
