import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createDatabase } from '../../scripts/lib/scratch-cluster.js';

const APP_LOGIN = 'clinic_test_app';

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  /** Connected as the app's login role (member of clinic_app): what main uses. */
  appPool: pg.Pool;
  db: ReturnType<typeof createKysely>;
  /** Connected as the owner, for arranging and inspecting test state. */
  ownerPool: pg.Pool;
  demoPassword: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from a migrated (or migrated + demo) template. */
export async function createTestDatabase(template: 'clinic_migrated' | 'clinic_demo' = 'clinic_demo', poolSize = 4): Promise<TestDatabase> {
  const clusterUrl = inject('clusterUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  await createDatabase(`${clusterUrl}postgres`, name, template);
  const url = new URL(`${clusterUrl}${name}`);
  const ownerUrl = url.toString();
  url.username = APP_LOGIN;
  url.password = inject('appLoginPassword');
  const appUrl = url.toString();
  const appPool = createPool({ connectionString: appUrl, max: poolSize });
  appPool.setMaxListeners(100); // each test harness attaches its own database monitor
  const ownerPool = createPool({ connectionString: ownerUrl, max: 2 });
  const db = createKysely(appPool);
  return {
    name,
    ownerUrl,
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
