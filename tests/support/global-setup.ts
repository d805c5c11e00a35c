// One real embedded PostgreSQL for the whole test run, with two templates every test file clones:
//   clinic_migrated — every migration applied;  clinic_demo — that plus the demo data.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureAppLoginRole } from '../../main/db/app-login-role.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../../main/db/migrator.js';
import { seedDemoData } from '../../main/seed/seed-demo-data.js';
import { createDatabase, startScratchCluster } from '../../scripts/lib/scratch-cluster.js';

export const APP_LOGIN = 'clinic_test_app';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterUrl: string; // superuser URL without database name
    appLoginPassword: string;
    demoPassword: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startScratchCluster('tests');
  const migrationsDir = path.resolve(import.meta.dirname, '../../migrations');
  const appLoginPassword = randomBytes(18).toString('base64url');
  const demoPassword = randomBytes(9).toString('base64url');

  await createDatabase(cluster.ownerUrl('postgres'), 'clinic_migrated');
  const migratedPool = createPool({ connectionString: cluster.ownerUrl('clinic_migrated'), max: 1 });
  const migratedDb = createKysely(migratedPool);
  await migrateToLatest(createMigrator(migratedDb, migrationsDir));
  await ensureAppLoginRole(migratedPool, APP_LOGIN, appLoginPassword);
  await migratedDb.destroy();

  await createDatabase(cluster.ownerUrl('postgres'), 'clinic_demo', 'clinic_migrated');
  const demoPool = createPool({ connectionString: cluster.ownerUrl('clinic_demo'), max: 1 });
  await seedDemoData(demoPool, { patients: 3000, demoPassword, today: new Date() });
  await demoPool.end();

  project.provide('clusterUrl', cluster.ownerUrl(''));
  project.provide('appLoginPassword', appLoginPassword);
  project.provide('demoPassword', demoPassword);
  return async () => cluster.stop();
}
