// Times chosen by the caller, bounded by the server's clock (migration 018). Main passes its own
// clock to the auth_* functions and into reset codes (the access-control tests drive a fake one);
// a login with psql could pass any time: 'infinity' locked the administrator out for good, and a
// reset code valid until 2036 was issued. Each attack is performed here as the app's login.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { asUser } from '../support/user-context.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('clinic_demo', 2);
});
afterAll(() => database.drop());

const adminLock = async () =>
  (await database.ownerPool.query(`SELECT failed_login_count, locked_until FROM users WHERE email = 'admin@demo.clinic'`)).rows[0];
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

describe("the caller's clock", () => {
  it("with no context, 'infinity' five times no longer locks the administrator out (nor does a date beyond the skew)", async () => {
    for (let i = 0; i < 5; i += 1) {
      await expect(database.appPool.query(`SELECT auth_record_failed_sign_in('admin@demo.clinic', 'infinity')`)).rejects.toMatchObject({
        code: '22023',
      });
    }
    await expect(
      database.appPool.query(`SELECT auth_record_failed_sign_in('admin@demo.clinic', now() + interval '1 day')`),
    ).rejects.toMatchObject({ code: '22023' });
    await expect(database.appPool.query(`SELECT auth_record_failed_sign_in('nobody@demo.clinic', '2036-01-01')`)).rejects.toMatchObject({
      code: '22023',
    });
    expect(await adminLock()).toEqual({ failed_login_count: 0, locked_until: null });
    // main's clock within the skew still counts and locks, for the administrator's minutes from it
    for (let i = 0; i < 5; i += 1)
      await database.appPool.query(`SELECT auth_record_failed_sign_in('admin@demo.clinic', now() + interval '1 minute')`);
    const { rows } = await database.ownerPool.query(
      `SELECT locked_until <= now() + interval '21 minutes' AS bounded, locked_until > now() AS locked FROM users WHERE email = 'admin@demo.clinic'`,
    );
    expect(rows[0]).toEqual({ bounded: true, locked: true });
    await database.ownerPool.query(`UPDATE users SET failed_login_count = 0, locked_until = NULL WHERE email = 'admin@demo.clinic'`);
  });

  it('an administrator (or anyone acting as one) cannot issue a code that outlives the server clock by more than 30 minutes', async () => {
    const issue = (createdAt: string, expiresAt: string) =>
      asUser(
        database.appPool,
        'admin@demo.clinic',
        (c) =>
          c.query(
            `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at, issued_by)
                 SELECT u.user_id, $1, $2::timestamptz, $3::timestamptz, app_current_user_id() FROM users u WHERE u.email = 'nurse@demo.clinic'`,
            [sha256(randomBytes(32).toString('hex')), expiresAt, createdAt],
          ),
        true,
      );
    await expect(issue('2036-01-01T00:00:00Z', '2036-01-01T00:30:00Z')).rejects.toMatchObject({ code: '42501' });
    await expect(issue('infinity', 'infinity')).rejects.toMatchObject({ code: '42501' });
    const now = new Date();
    await expect(issue(now.toISOString(), new Date(now.getTime() + 30 * 60_000).toISOString())).resolves.toMatchObject({ rowCount: 1 });
  });

  it('a code is not redeemed by naming a time before it expired: the server counts from its own time of issue', async () => {
    const token = randomBytes(32).toString('hex');
    await asUser(
      database.appPool,
      'admin@demo.clinic',
      (c) =>
        c.query(
          `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at, issued_by)
               SELECT u.user_id, $1, now() + interval '30 minutes', now(), app_current_user_id() FROM users u WHERE u.email = 'pharmacist@demo.clinic'`,
          [sha256(token)],
        ),
      true,
    );
    // Two hours pass (the owner moves the code's times back, as time would).
    await database.ownerPool.query(
      `UPDATE password_reset_tokens SET created_at = created_at - interval '2 hours', expires_at = expires_at - interval '2 hours',
                                     issued_on_server = issued_on_server - interval '2 hours' WHERE token_hash = $1`,
      [sha256(token)],
    );
    const redeem = (at: string) =>
      database.appPool.query(`SELECT auth_redeem_reset_token('pharmacist@demo.clinic', $1, ${at}) AS user_id`, [sha256(token)]);
    expect((await redeem(`now() - interval '119 minutes'`)).rows[0].user_id).toBeNull();
    expect((await redeem(`'-infinity'`)).rows[0].user_id).toBeNull();
    // …while a code just issued is redeemed at main's time, once.
    const fresh = randomBytes(32).toString('hex');
    await asUser(
      database.appPool,
      'admin@demo.clinic',
      (c) =>
        c.query(
          `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at, issued_by)
               SELECT u.user_id, $1, now() + interval '30 minutes', now(), app_current_user_id() FROM users u WHERE u.email = 'pharmacist@demo.clinic'`,
          [sha256(fresh)],
        ),
      true,
    );
    const redeemFresh = () =>
      database.appPool.query(`SELECT auth_redeem_reset_token('pharmacist@demo.clinic', $1, now()) AS user_id`, [sha256(fresh)]);
    expect((await redeemFresh()).rows[0].user_id).toEqual(expect.any(String));
    expect((await redeemFresh()).rows[0].user_id).toBeNull();
  });

  it('the app cannot set the server time of issue itself', async () => {
    await expect(
      asUser(
        database.appPool,
        'admin@demo.clinic',
        (c) =>
          c.query(`INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, created_at, issued_by, issued_on_server)
               VALUES (app_current_user_id(), repeat('a', 64), now() + interval '30 minutes', now(), app_current_user_id(), '2036-01-01')`),
        true,
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });
});
