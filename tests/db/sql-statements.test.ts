// How the migration runner cuts a no-transaction file into statements (tests/db/migrations.test.ts runs such files for real).
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../main/db/sql-statements.js';

describe('splitStatements', () => {
  it('ends a statement only at a top-level semicolon', () => {
    const text = [
      '-- migrate:no-transaction',
      '-- a comment; with a semicolon',
      "DROP INDEX CONCURRENTLY IF EXISTS idx_a; CREATE INDEX CONCURRENTLY idx_a ON t (a) WHERE b <> ';' AND c <> 'it''s;';",
      'SELECT "odd;name" FROM t;',
      "SELECT E'back\\\\slash\\'; still string';",
      '/* outer /* nested; */ still comment; */ SELECT 1;',
      'DO $body$ BEGIN PERFORM 1; END $body$;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;',
      'SELECT $1::int',
      '-- trailing comment only',
    ].join('\n');
    expect(splitStatements(text)).toEqual([
      '-- migrate:no-transaction\n-- a comment; with a semicolon\nDROP INDEX CONCURRENTLY IF EXISTS idx_a;',
      "CREATE INDEX CONCURRENTLY idx_a ON t (a) WHERE b <> ';' AND c <> 'it''s;';",
      'SELECT "odd;name" FROM t;',
      "SELECT E'back\\\\slash\\'; still string';",
      '/* outer /* nested; */ still comment; */ SELECT 1;',
      'DO $body$ BEGIN PERFORM 1; END $body$;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;',
      'SELECT $1::int\n-- trailing comment only',
    ]);
  });

  it('gives nothing for a file of comments', () => {
    expect(splitStatements('-- only\n/* comments; */\n')).toEqual([]);
  });
});
