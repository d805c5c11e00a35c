// One real embedded PostgreSQL for the whole test run, with two templates every test file clones:
//   clinic_migrated — every migration applied;  clinic_demo — that plus the demo data.
// Set up as a hospital server is: the superuser only bootstraps (the clinic_owner role, the
// extensions, the app's login role); migrations and the seed run as clinic_owner, which is not
// superuser, so the SECURITY DEFINER functions every test calls are owned by a non-superuser.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureAppLoginRole } from '../../main/db/app-login-role.js';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../../main/db/migrator.js';
import { seedDemoData } from '../../main/seed/seed-demo-data.js';
import { withClient } from '../../main/startup/database-owner.js';
import { createDatabase, startScratchCluster } from '../../scripts/lib/scratch-cluster.js';

export const APP_LOGIN = 'clinic_test_app';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterUrl: string; // superuser URL without database name
    ownerClusterUrl: string; // clinic_owner (not superuser) URL without database name
    appLoginPassword: string;
    demoPassword: string;
    demoAdminId: string; // the demo administrator in clinic_demo (and its clones)
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startScratchCluster('tests');
  const migrationsDir = path.resolve(import.meta.dirname, '../../migrations');
  const appLoginPassword = randomBytes(18).toString('base64url');
  const demoPassword = randomBytes(9).toString('base64url');

  await createDatabase(cluster.ownerUrl('postgres'), 'clinic_migrated');
  const migratedDb = createKysely(createPool({ connectionString: cluster.ownerUrl('clinic_migrated'), max: 1 }));
  await migrateToLatest(createMigrator(migratedDb, migrationsDir));
  await migratedDb.destroy();
  // The login role is the bootstrap's (a DBA's) job: only a superuser may switch statement logging off for it.
  await withClient(cluster.superuserUrl('clinic_migrated'), (admin) => ensureAppLoginRole(admin, APP_LOGIN, appLoginPassword));

  await createDatabase(cluster.ownerUrl('postgres'), 'clinic_demo', 'clinic_migrated');
  const demoPool = createPool({ connectionString: cluster.ownerUrl('clinic_demo'), max: 1 });
  await seedDemoData(demoPool, { patients: 3000, demoPassword, today: new Date() });
  await demoPool.end();
  const demoAdminId = await withClient(
    cluster.superuserUrl('clinic_demo'),
    async (admin) =>
      (await admin.query<{ user_id: string }>(`SELECT user_id FROM users WHERE email = 'admin@demo.clinic'`)).rows[0]!.user_id,
  );

  project.provide('clusterUrl', cluster.superuserUrl(''));
  project.provide('ownerClusterUrl', cluster.ownerUrl(''));
  project.provide('appLoginPassword', appLoginPassword);
  project.provide('demoPassword', demoPassword);
  project.provide('demoAdminId', demoAdminId);
  return async () => cluster.stop();
}
