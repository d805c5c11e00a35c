// Regenerates main/db/database.generated.ts from a freshly migrated scratch database.
// `npm run db:types` (write) / the schema test runs the same with --verify.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKysely, createPool } from '../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../main/db/migrator.js';
import { createDatabase, startScratchCluster } from './lib/scratch-cluster.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED_TYPES = path.join(root, 'main/db/database.generated.ts');

export function codegenArgs(url: string, verify: boolean): string[] {
  return [
    path.join(root, 'node_modules/kysely-codegen/dist/cli/bin.js'),
    '--url',
    url,
    '--dialect',
    'postgres',
    '--out-file',
    GENERATED_TYPES,
    '--date-parser',
    'string',
    '--exclude-pattern',
    'kysely_*',
    '--log-level',
    'error',
    ...(verify ? ['--verify'] : []),
  ];
}

export async function runCodegenOnFreshSchema(verify: boolean): Promise<{ status: number; output: string }> {
  const cluster = await startScratchCluster('codegen');
  try {
    await createDatabase(cluster.ownerUrl('postgres'), 'clinic');
    const pool = createPool({ connectionString: cluster.ownerUrl('clinic') });
    const db = createKysely(pool);
    await migrateToLatest(createMigrator(db, path.join(root, 'migrations')));
    await db.destroy();
    const run = spawnSync(process.execPath, codegenArgs(cluster.ownerUrl('clinic'), verify), { encoding: 'utf8' });
    return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runCodegenOnFreshSchema(process.argv.includes('--verify'));
  process.stdout.write(result.output);
  process.exit(result.status);
}
