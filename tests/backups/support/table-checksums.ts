// Row count and md5 of the ordered rows of every table of the clinic schema, read as the superuser
// (past row level security): two databases with equal figures hold the same rows.
import pg from 'pg';

export type TableFigures = Record<string, { rows: number; md5: string }>;

export async function tableFigures(superuserUrl: string): Promise<TableFigures> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT c.oid::regclass::text AS name FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    const figures: TableFigures = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ rows: number; md5: string }>(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM ${name} t`,
      );
      figures[name] = rows[0]!;
    }
    return figures;
  } finally {
    await client.end();
  }
}

/** One line per table, for the test's printed proof. */
export const printFigures = (title: string, figures: TableFigures) =>
  console.log(
    `${title}\n${Object.entries(figures)
      .map(([name, f]) => `  ${name.padEnd(34)} ${String(f.rows).padStart(6)}  ${f.md5}`)
      .join('\n')}`,
  );
