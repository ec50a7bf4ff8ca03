// The one query a lock poll runs on the target database, and its rows read into sessions.
// pg_stat_activity says who is connected and what they run; pg_locks which tables each holds or
// waits for (visible to every role); pg_blocking_pids who waits on whom. A role without
// pg_read_all_stats sees other users' sessions as `<insufficient privilege>` with their times
// nulled, but still their locks: the view keeps working with what it can see.
import type { LockSession, SessionLock } from '@flightdeck/contracts';
import { lockLevels, type LockLevel } from '../migrations/locks.js';
import { redactSecrets } from '../redact/redact-secrets.js';

/** The application_name Flightdeck's own connections to the target database carry. */
export const flightdeckApplicationName = 'flightdeck';
/** How much of each session's query is read: enough to recognise it, never a whole payload. */
export const lockQueryTextChars = 300;
export const insufficientPrivilege = '<insufficient privilege>';

/**
 * $1: characters of query text kept; $2: Flightdeck's own application_name (its other
 * connections are excluded with this one, pg_backend_pid()). `to_jsonb(l)->>'waitstart'` reads
 * pg_locks.waitstart where it exists (PostgreSQL 14+) and null before, in one query for all.
 * Role defaults for lock_timeout/statement_timeout come from pg_db_role_setting: another backend's
 * own SETs cannot be read by any query.
 */
export const lockPollSql = `WITH db AS (SELECT oid FROM pg_database WHERE datname = current_database()),
held AS (
  SELECT l.pid,
         json_agg(json_build_object(
           'table', CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,
           'mode', l.mode,
           'granted', l.granted,
           'waiting_seconds', extract(epoch FROM now() - (to_jsonb(l)->>'waitstart')::timestamptz))) AS locks
    FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM db)
     AND c.relkind IN ('r', 'p')
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%'
   GROUP BY l.pid),
role_timeouts AS (
  SELECT s.setrole, string_agg(setting, ', ') AS timeouts
    FROM pg_db_role_setting s, unnest(s.setconfig) AS setting
   WHERE s.setdatabase IN ((SELECT oid FROM db), 0)
     AND (setting LIKE 'lock\\_timeout=%' OR setting LIKE 'statement\\_timeout=%')
   GROUP BY s.setrole)
SELECT a.pid,
       coalesce(a.application_name, '') AS application,
       a.state,
       left(a.query, $1::int) AS query,
       extract(epoch FROM now() - a.xact_start)::float8 AS transaction_seconds,
       extract(epoch FROM now() - a.query_start)::float8 AS query_seconds,
       pg_blocking_pids(a.pid) AS blocked_by,
       coalesce(held.locks, '[]'::json) AS locks,
       (SELECT string_agg(r.timeouts, ', ') FROM role_timeouts r WHERE r.setrole IN (a.usesysid, 0)) AS role_timeouts,
       current_setting('lock_timeout') AS server_lock_timeout,
       current_setting('statement_timeout') AS server_statement_timeout
  FROM pg_stat_activity a
  LEFT JOIN held ON held.pid = a.pid
 WHERE a.datid = (SELECT oid FROM db)
   AND (a.backend_type = 'client backend' OR a.backend_type IS NULL)
   AND a.pid <> pg_backend_pid()
   AND a.application_name IS DISTINCT FROM $2::text
 ORDER BY a.pid`;

export const lockPollParams = (chars = lockQueryTextChars): unknown[] => [chars, flightdeckApplicationName];

/** Per-session settings the migration's guidance needs (role defaults, the server's). */
export interface SessionSettings {
  roleTimeouts: string | null;
  serverLockTimeout: string | null;
  serverStatementTimeout: string | null;
}

export interface PolledSession extends LockSession {
  settings: SessionSettings;
}

const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? Math.max(0, n) : null;
};
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** pg gives int[] as an array; through a SQL function it may come as "{1,2}" or JSON. */
function pidList(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number).filter(Number.isInteger);
  if (typeof v === 'string') return (v.match(/\d+/g) ?? []).map(Number);
  return [];
}

function lockList(v: unknown): SessionLock[] {
  const parsed = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((raw): SessionLock[] => {
    const l = raw as { table?: unknown; mode?: unknown; granted?: unknown };
    // Predicate locks (SIReadLock) are no table lock a migration waits for.
    if (typeof l.table !== 'string' || !lockLevels.includes(l.mode as LockLevel)) return [];
    return [{ table: l.table, mode: l.mode as LockLevel, granted: l.granted === true || l.granted === 't' }];
  });
}

function waitingSeconds(v: unknown): number | null {
  const parsed = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  if (!Array.isArray(parsed)) return null;
  const waits = parsed
    .map((l) => num((l as { waiting_seconds?: unknown }).waiting_seconds))
    .filter((n): n is number => n !== null);
  return waits.length > 0 ? Math.max(...waits) : null;
}

/** The poll's rows as sessions: query text redacted like log lines, hidden details marked. */
export function readLockRows(rows: readonly Record<string, unknown>[]): PolledSession[] {
  return rows.map((row) => {
    const rawQuery = str(row.query);
    const hidden = rawQuery === insufficientPrivilege;
    const locks = lockList(row.locks);
    const waiting = locks.some((l) => !l.granted);
    return {
      pid: Number(row.pid),
      application: str(row.application) ?? '',
      state: hidden ? null : str(row.state),
      query: hidden || rawQuery === null ? null : redactSecrets(rawQuery),
      transactionSeconds: num(row.transaction_seconds),
      querySeconds: num(row.query_seconds),
      // Before PostgreSQL 14 pg_locks has no waitstart: the statement's own time is the best bound.
      waitingSeconds: waiting ? (waitingSeconds(row.locks) ?? num(row.query_seconds)) : null,
      blockedBy: pidList(row.blocked_by),
      locks,
      hidden,
      settings: {
        roleTimeouts: str(row.role_timeouts),
        serverLockTimeout: str(row.server_lock_timeout),
        serverStatementTimeout: str(row.server_statement_timeout),
      },
    };
  });
}
