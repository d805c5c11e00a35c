import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createKysely, createPool } from '../../main/db/connection.js';
import { OWNER_ROLE } from '../../main/startup/database-owner.js';
import { createDatabase } from '../../scripts/lib/scratch-cluster.js';

const APP_LOGIN = 'clinic_test_app';

export interface TestDatabase {
  name: string;
  /**
   * The schema owner (clinic_owner: not superuser, no BYPASSRLS, so FORCEd row level security applies
   * to it), acting as the demo administrator in a clinic_demo clone so it can arrange any row.
   */
  ownerUrl: string;
  /** The cluster's superuser, for the rare check only a superuser can make. */
  superuserUrl: string;
  appUrl: string;
  /** Connected as the app's login role (member of clinic_app): what main uses. */
  appPool: pg.Pool;
  db: ReturnType<typeof createKysely>;
  /** Connected as ownerUrl, for arranging and inspecting test state. */
  ownerPool: pg.Pool;
  demoPassword: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from a migrated (or migrated + demo) template. */
/** The app's 3 s connect timeout is for a clerk waiting; a test's connect waits out a busy machine (a hook has 60 s). */
export const TEST_CONNECT_TIMEOUT_MS = 15_000;

export async function createTestDatabase(template: 'clinic_migrated' | 'clinic_demo' = 'clinic_demo', poolSize = 4): Promise<TestDatabase> {
  const clusterUrl = inject('clusterUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  await createDatabase(`${clusterUrl}postgres`, name, template, OWNER_ROLE);
  // A copy of a template starts with PostgreSQL's default database rights: as migration 045 leaves a migrated one.
  const superuser = new pg.Client({ connectionString: `${clusterUrl}postgres` });
  await superuser.connect();
  await superuser.query(`REVOKE TEMPORARY ON DATABASE ${pg.escapeIdentifier(name)} FROM PUBLIC`).finally(() => superuser.end());
  const superuserUrl = `${clusterUrl}${name}`;
  const owner = new URL(`${inject('ownerClusterUrl')}${name}`);
  // A session-wide user context (a transaction's own set_config still wins): the demo administrator.
  if (template === 'clinic_demo') owner.searchParams.set('options', `-c app.current_user_id=${inject('demoAdminId')}`);
  const ownerUrl = owner.toString();
  const app = new URL(superuserUrl);
  app.username = APP_LOGIN;
  app.password = inject('appLoginPassword');
  const appUrl = app.toString();
  const connectionTimeoutMillis = TEST_CONNECT_TIMEOUT_MS;
  const appPool = createPool({ connectionString: appUrl, max: poolSize, connectionTimeoutMillis });
  appPool.setMaxListeners(100); // each test harness attaches its own database monitor
  const ownerPool = createPool({ connectionString: ownerUrl, max: 2, connectionTimeoutMillis });
  const db = createKysely(appPool);
  return {
    name,
    ownerUrl,
    superuserUrl,
    appUrl,
    appPool,
    db,
    ownerPool,
    demoPassword: inject('demoPassword'),
    async drop() {
      await db.destroy().catch(() => undefined);
      await ownerPool.end().catch(() => undefined);
      const admin = new pg.Client({ connectionString: `${clusterUrl}postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Grants or revokes the app's login the right to create temporary objects in this test's database, as a
 * database administrator could (045 revokes it): for the attacks that need them, to show what still holds.
 */
export async function temporaryObjectsForTheAppLogin(database: TestDatabase, action: 'GRANT' | 'REVOKE'): Promise<void> {
  const name = pg.escapeIdentifier(database.name);
  await asSuperuser(
    database,
    action === 'GRANT' ? `GRANT TEMPORARY ON DATABASE ${name} TO ${APP_LOGIN}` : `REVOKE TEMPORARY ON DATABASE ${name} FROM ${APP_LOGIN}`,
  );
}

/** One statement as the cluster's superuser, on a connection of its own (what only a database administrator may set). */
export async function asSuperuser(database: TestDatabase, text: string): Promise<void> {
  const superuser = new pg.Client({ connectionString: database.superuserUrl });
  await superuser.connect();
  await superuser.query(text).finally(() => superuser.end());
}
