// SQL written in Python carries bound parameters that PostgreSQL's grammar does not know:
// SQLAlchemy's text() names them `:name`, psycopg2 `%(name)s` or `%s`, qmark drivers `?`.
// They are swapped for PostgreSQL's own `$1` (same length, so every offset and line stays
// true) before parsing; quoted strings, quoted names, dollar quotes and comments are left alone.

export type BindParameterStyle =
  /** text() / op.execute(str): `:name` (`\:` is a literal colon), and psycopg2's `%(name)s`, `%s`. */
  | 'sqlalchemy'
  /** exec_driver_sql(): the driver's own `%(name)s`, `%s`; `?` too, see qmark. */
  | 'driver';

export interface BindParameterReading {
  /** The SQL with each parameter replaced, same length as the input. */
  sql: string;
  /** The parameters as written, in order. */
  parameters: string[];
}

const identifierStart = /[A-Za-z_\u0080-\uffff]/;
const identifierPart = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Same-length stand-in: `$1` padded with spaces. */
function standIn(length: number): string {
  return length >= 2 ? `$1${' '.repeat(length - 2)}` : '0';
}

/**
 * Replaces bound parameters with `$1`. `qmark` also replaces `?`, which in PostgreSQL is a JSONB
 * operator: callers use it only when the statement does not parse otherwise.
 */
export function replaceBindParameters(
  sql: string,
  style: BindParameterStyle,
  options: { qmark?: boolean } = {},
): BindParameterReading {
  let out = '';
  const parameters: string[] = [];
  let owedSpaces = 0;
  let i = 0;
  const copyUntil = (end: number) => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (owedSpaces > 0 && /\s/.test(c)) {
      out += ' '.repeat(owedSpaces);
      owedSpaces = 0;
    }
    // Quoted text, quoted names, comments and dollar quotes are copied as they are.
    if (c === "'" || c === '"') {
      const escapes = c === "'" && /[eE]/.test(sql[i - 1] ?? '') && !identifierPart.test(sql[i - 2] ?? '');
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j += 1;
      }
      copyUntil(Math.min(j + 1, sql.length));
      continue;
    }
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      copyUntil(end === -1 ? sql.length : end);
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      copyUntil(end === -1 ? sql.length : end + 2);
      continue;
    }
    if (c === '$' && !identifierPart.test(sql[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        copyUntil(end === -1 ? sql.length : end + tag[0].length);
        continue;
      }
    }
    if (style === 'sqlalchemy' && c === '\\' && next === ':') {
      // text("…\:…") is a literal colon: drop the backslash, pay the space back at the next blank
      out += ':';
      owedSpaces += 1;
      i += 2;
      continue;
    }
    // SQLAlchemy's rule: a colon not after a colon or a word character, a name, not followed by a colon
    if (
      style === 'sqlalchemy' &&
      c === ':' &&
      next !== undefined &&
      identifierStart.test(next) &&
      !/[:\w\\]/.test(sql[i - 1] ?? '')
    ) {
      let j = i + 1;
      while (j < sql.length && identifierPart.test(sql[j]!)) j++;
      if (sql[j] !== ':') {
        parameters.push(sql.slice(i, j));
        out += standIn(j - i);
        i = j;
        continue;
      }
    }
    if (c === '%') {
      const named = /^%\(([^)]+)\)s/.exec(sql.slice(i));
      const width = named ? named[0].length : next === 's' ? 2 : 0;
      if (width > 0) {
        parameters.push(sql.slice(i, i + width));
        out += standIn(width);
        i += width;
        continue;
      }
      if (next === '%' && style === 'driver') {
        out += '% ';
        i += 2;
        continue;
      }
    }
    if (c === '?' && options.qmark && style === 'driver') {
      parameters.push('?');
      out += '0';
      i += 1;
      continue;
    }
    out += c;
    i += 1;
  }
  out += ' '.repeat(owedSpaces);
  return { sql: out, parameters };
}
