import type { QueryResultTable } from '../demo-db/demo-database.js';

/** What the story's tools/rds-query Lambda does: one read-only query, JSON in and out. */
export type SqlFunctionOutcome =
  | { ok: true; body: QueryResultTable; log: string[] }
  | { ok: false; errorType: string; errorMessage: string; log: string[] };

export interface ReadOnlyDatabase {
  readOnlyQuery(sql: string, params?: unknown[]): Promise<QueryResultTable>;
}

/** psycopg2 names the exception class after the SQLSTATE; the Lambda reports that class. */
const psycopgErrors: Record<string, string> = {
  '25006': 'ReadOnlySqlTransaction',
  '42601': 'SyntaxError',
  '42P01': 'UndefinedTable',
  '42703': 'UndefinedColumn',
  '42883': 'UndefinedFunction',
  '22P02': 'InvalidTextRepresentation',
  '22012': 'DivisionByZero',
  '42501': 'InsufficientPrivilege',
  '0A000': 'FeatureNotSupported',
  '57014': 'QueryCanceled',
};

export async function runSqlFunction(
  payload: unknown,
  database: ReadOnlyDatabase,
): Promise<SqlFunctionOutcome> {
  const request = parseRequest(payload);
  if (typeof request === 'string')
    return { ok: false, errorType: 'ValueError', errorMessage: request, log: [`ValueError: ${request}`] };
  const started = performance.now();
  try {
    const body = await database.readOnlyQuery(request.sql, request.params);
    const ms = Math.max(1, Math.round(performance.now() - started));
    return { ok: true, body, log: [`query ok rows=${body.rows.length} ${ms}ms`] };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const errorType = (typeof code === 'string' && psycopgErrors[code]) || 'DatabaseError';
    const errorMessage = error instanceof Error ? error.message : String(error);
    return { ok: false, errorType, errorMessage, log: [`${errorType}: ${errorMessage}`] };
  }
}

function parseRequest(payload: unknown): { sql: string; params: unknown[] } | string {
  const usage = 'payload must be {"sql": "<one statement>", "params": [...]}';
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return usage;
  const { sql, params } = payload as { sql?: unknown; params?: unknown };
  if (typeof sql !== 'string' || sql.trim() === '') return usage;
  if (params !== undefined && !Array.isArray(params)) return usage;
  return { sql, params: params ?? [] };
}
