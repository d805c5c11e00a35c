// The migration CLI and runner on clean real databases (embedded PostgreSQL 18; SQL kept 15-safe).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject, afterAll, describe, expect, it } from 'vitest';
import { createKysely, createPool } from '../../main/db/connection.js';
import { createMigrator, migrateToLatest } from '../../main/db/migrator.js';
import { createDatabase } from '../../scripts/lib/scratch-cluster.js';
import { runMigrateCli } from '../../scripts/migrate.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../migrations');
const clusterUrl = () => inject('clusterUrl');
const created: string[] = [];

async function cleanDatabase(name: string): Promise<string> {
  await createDatabase(`${clusterUrl()}postgres`, name);
  created.push(name);
  return `${clusterUrl()}${name}`;
}

function capture() {
  const lines: string[] = [];
  return { lines, out: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) } as unknown as Console };
}

afterAll(async () => {
  const pool = createPool({ connectionString: `${clusterUrl()}postgres`, max: 1 });
  for (const name of created) await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await pool.end();
});

describe('migration CLI', () => {
  it('checks, runs one, runs all, and is a no-op the second time', async () => {
    const env = { DATABASE_URL: await cleanDatabase('cli_clean') };
    const files = (await fs.readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();

    const check1 = capture();
    expect(await runMigrateCli(['--check'], env, check1.out)).toBe(1);
    expect(check1.lines.filter((l) => l.startsWith('pending'))).toHaveLength(files.length);

    const one = capture();
    expect(await runMigrateCli(['--migration', '002'], env, one.out)).toBe(0);
    expect(one.lines.join('\n')).toBe('applied  001_initial_schema\napplied  002_rbac_system');

    const all = capture();
    expect(await runMigrateCli(['--all'], env, all.out)).toBe(0);
    expect(all.lines.join('\n').split('\n')).toHaveLength(files.length - 2);

    const again = capture();
    expect(await runMigrateCli(['--all'], env, again.out)).toBe(0);
    expect(again.lines).toEqual(['Nothing to migrate.']);

    const earlier = capture();
    expect(await runMigrateCli(['--migration', '001'], env, earlier.out)).toBe(0);
    expect(earlier.lines).toEqual(['Nothing to migrate.']);

    const check2 = capture();
    expect(await runMigrateCli(['--check'], env, check2.out)).toBe(0);
    expect(check2.lines.at(-1)).toBe('Database is up to date.');
  });

  it('explains bad usage and a missing DATABASE_URL with a non-zero exit', async () => {
    const usage = capture();
    expect(await runMigrateCli([], { DATABASE_URL: 'postgres://x' }, usage.out)).toBe(2);
    expect(await runMigrateCli(['--all', '--check'], { DATABASE_URL: 'postgres://x' }, capture().out)).toBe(2);
    const noUrl = capture();
    expect(await runMigrateCli(['--check'], {}, noUrl.out)).toBe(2);
    expect(noUrl.lines[0]).toMatch(/DATABASE_URL is not set/);
    const unknown = capture();
    expect(await runMigrateCli(['--migration', '999'], { DATABASE_URL: await cleanDatabase('cli_unknown') }, unknown.out)).toBe(1);
    expect(unknown.lines[0]).toMatch(/No migration numbered 999/);
  });

  it('reports a failing migration by name, rolls it back, and leaves it pending', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    for (const f of await fs.readdir(MIGRATIONS)) await fs.copyFile(path.join(MIGRATIONS, f), path.join(folder, f));
    await fs.writeFile(path.join(folder, '099_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();');
    const db = createKysely(createPool({ connectionString: await cleanDatabase('broken_migration'), max: 1 }));
    const migrator = createMigrator(db, folder);
    await expect(migrateToLatest(migrator)).rejects.toThrow(/Migration 099_broken failed: function no_such_function\(\) does not exist/);
    const status = await migrator.getMigrations();
    expect(status.find((m) => m.name === '099_broken')?.executedAt).toBeUndefined();
    const { rows } = await db.selectFrom('pg_tables' as never).select('tablename' as never).where('tablename' as never, '=', 'half_done' as never).execute().then((r) => ({ rows: r }));
    expect(rows).toEqual([]);
    await db.destroy();
    await fs.rm(folder, { recursive: true });
  });
});
