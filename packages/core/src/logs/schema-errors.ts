import type { SchemaErrorCount, SchemaErrorMatch } from '@flightdeck/contracts';

// PostgreSQL's own wording, which psycopg2/psycopg/asyncpg and SQLAlchemy all carry through verbatim:
//   column "x" does not exist · column t.x does not exist · column "x" of relation "t" does not exist
//   relation "t" does not exist · relation "public.t" does not exist
const columnMessage =
  /\bcolumn\s+(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*))(?:\s+of\s+relation\s+"((?:[^"]|"")+)")?\s+does not exist/i;
const relationMessage =
  /\brelation\s+(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*))\s+does not exist/i;
// Driver exception names and SQLSTATEs, for lines that carry the class but not the message.
const columnClass =
  /\b(?:UndefinedColumn(?:Error)?|sqlstate[^0-9A-Z]{0,6}42703|pgcode[^0-9A-Z]{0,6}42703)\b/i;
const relationClass =
  /\b(?:UndefinedTable(?:Error)?|sqlstate[^0-9A-Z]{0,6}42P01|pgcode[^0-9A-Z]{0,6}42P01)\b/i;

const unquote = (name: string) => name.replaceAll('""', '"');

/** Whether a log line reports a missing column or table, and which one. */
export function matchSchemaError(message: string): SchemaErrorMatch | null {
  const column = columnMessage.exec(message);
  if (column) {
    const name = unquote(column[1] ?? column[2] ?? '');
    const table = column[3] ? unquote(column[3]) : null;
    return { kind: 'column', name: table ? `${table}.${name}` : name };
  }
  const relation = relationMessage.exec(message);
  if (relation) return { kind: 'relation', name: unquote(relation[1] ?? relation[2] ?? '') };
  if (columnClass.test(message)) return { kind: 'column', name: '(unnamed)' };
  if (relationClass.test(message)) return { kind: 'relation', name: '(unnamed)' };
  return null;
}

export interface SchemaErrorLine {
  functionName: string;
  timestamp: string;
  message: string;
}

/**
 * Schema errors per function, every configured function listed (zero is the good news),
 * with the missing objects most frequent first.
 */
export function countSchemaErrors(functionNames: string[], lines: SchemaErrorLine[]): SchemaErrorCount[] {
  const byFunction = new Map<
    string,
    { count: number; lastSeen: string | null; objects: Map<string, { match: SchemaErrorMatch; n: number }> }
  >(functionNames.map((fn) => [fn, { count: 0, lastSeen: null, objects: new Map() }]));
  for (const line of lines) {
    const match = matchSchemaError(line.message);
    const entry = byFunction.get(line.functionName);
    if (!match || !entry) continue;
    entry.count++;
    if (entry.lastSeen === null || line.timestamp > entry.lastSeen) entry.lastSeen = line.timestamp;
    const key = `${match.kind}:${match.name}`;
    const seen = entry.objects.get(key);
    if (seen) seen.n++;
    else entry.objects.set(key, { match, n: 1 });
  }
  return [...byFunction].map(([functionName, e]) => ({
    functionName,
    count: e.count,
    lastSeen: e.lastSeen,
    objects: [...e.objects.values()].sort((a, b) => b.n - a.n).map((o) => o.match),
  }));
}
