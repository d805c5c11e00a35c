/**
 * Splits a migration file into its top-level statements, as PostgreSQL's own lexer would: a `;`
 * inside a string ('…', E'…'), a quoted identifier ("…"), a dollar-quoted body ($$…$$, $tag$…$tag$)
 * or a comment (-- …, nested /* … *\/) does not end a statement. Needed only for files that run
 * outside a transaction: sent as one query, PostgreSQL would wrap their statements in an implicit
 * transaction, where CREATE INDEX CONCURRENTLY is refused. Statements that are only comments are dropped.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const skipQuoted = (quote: string, backslashEscapes: boolean) => {
    i += 1;
    while (i < text.length) {
      if (backslashEscapes && text[i] === '\\') i += 2;
      else if (text[i] === quote && text[i + 1] === quote)
        i += 2; // '' or "" inside
      else if (text[i] === quote) return void (i += 1);
      else i += 1;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 0;
      do {
        if (text.startsWith('/*', i)) {
          depth += 1;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth -= 1;
          i += 2;
        } else i += 1;
      } while (depth > 0 && i < text.length);
    } else if (c === "'") {
      skipQuoted("'", /[eE]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? ''));
    } else if (c === '"') {
      skipQuoted('"', false);
    } else if (c === '$' && !/[\w$]/.test(text[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64))?.[0];
      if (tag) {
        const end = text.indexOf(tag, i + tag.length);
        i = end === -1 ? text.length : end + tag.length;
      } else i += 1;
    } else if (c === ';') {
      statements.push(text.slice(start, i + 1));
      i += 1;
      start = i;
    } else i += 1;
  }
  statements.push(text.slice(start));
  return statements.filter((s) => stripComments(s).trim() !== '').map((s) => s.trim());
}

/** A statement's text without comments, to tell an empty tail from a real statement. */
function stripComments(statement: string): string {
  return statement.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
