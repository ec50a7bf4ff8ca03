// One poll's sessions turned into what the panel and the checklist read: who would block the
// release's migration (before), the migration's session and who waits behind it (during).
import type {
  LockBlocker,
  LockSession,
  LockView,
  MigrationTimeouts,
  ReportMigration,
} from '@flightdeck/contracts';
import { lockStrength, strongestPerTable, type LockLevel, type TableLock } from '../migrations/locks.js';
import type { PolledSession } from './lock-query.js';

/** PostgreSQL's table-level conflict table ("Explicit Locking", Table 13.2). */
const conflictsWith: Record<LockLevel, readonly LockLevel[]> = {
  AccessShareLock: ['AccessExclusiveLock'],
  RowShareLock: ['ExclusiveLock', 'AccessExclusiveLock'],
  RowExclusiveLock: ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareUpdateExclusiveLock: [
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  ShareLock: [
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  ShareRowExclusiveLock: [
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  ExclusiveLock: [
    'RowShareLock',
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
  AccessExclusiveLock: [
    'AccessShareLock',
    'RowShareLock',
    'RowExclusiveLock',
    'ShareUpdateExclusiveLock',
    'ShareLock',
    'ShareRowExclusiveLock',
    'ExclusiveLock',
    'AccessExclusiveLock',
  ],
};

export const locksConflict = (held: LockLevel, needed: LockLevel): boolean =>
  conflictsWith[needed].includes(held);

/** The statement that takes a mode, as the NO-GO reason names it. */
export function statementTaking(mode: LockLevel): string {
  switch (mode) {
    case 'AccessExclusiveLock':
      return 'ALTER TABLE';
    case 'ExclusiveLock':
      return 'REFRESH MATERIALIZED VIEW CONCURRENTLY';
    case 'ShareRowExclusiveLock':
      return 'ADD FOREIGN KEY';
    case 'ShareLock':
      return 'CREATE INDEX';
    case 'ShareUpdateExclusiveLock':
      return 'CREATE INDEX CONCURRENTLY / VALIDATE CONSTRAINT';
    default:
      return 'its data change';
  }
}

/**
 * The lock each table needs for the revisions a release applies, from the migration analysis
 * (the lint's per-revision locks): the strongest per table. Tables the release creates are left
 * out: no other session can see them until the migration commits, so nothing can hold them.
 */
export function releaseTableLocks(
  revisions: readonly ReportMigration[],
  pending: readonly string[],
): TableLock[] {
  const applied = revisions.filter((r) => pending.includes(r.revision));
  const created = new Set(applied.flatMap((r) => r.tablesCreated));
  return strongestPerTable(applied.flatMap((r) => r.locks).filter((l) => !created.has(l.table)));
}

export interface LockViewSettings {
  /** The release's tables and what each needs; empty without a release. */
  tables: readonly TableLock[];
  /** A blocker's transaction must be open this long to be a NO-GO reason (brief ones come and go). */
  blockerMinSeconds: number;
  /** deploys.lockWaitAlertSeconds: a wait behind the migration longer than this is red. */
  lockWaitAlertSeconds: number;
  /** deploys.lockBlockedAlertCount: more sessions than this waiting behind it is red. */
  lockBlockedAlertCount: number;
  /** The deploy says the migration is under way (told through the API or seen in alembic_version). */
  migrating: boolean;
}

const ddl = /^\s*(?:alter|create|drop|truncate|comment\s+on|reindex|cluster|vacuum\s+full)\b/i;
/** Leading comments go: `alembic upgrade --sql` output starts each revision with one. */
const withoutComments = (query: string) => query.replace(/\/\*[\s\S]*?\*\/|--[^\n]*/g, ' ');
const ddlOn = (raw: string | null, tables: ReadonlySet<string>): boolean => {
  const query = raw === null ? null : withoutComments(raw);
  if (!query || !ddl.test(query)) return false;
  const words = new Set(query.toLowerCase().match(/[a-z_][a-z0-9_$.]*/g) ?? []);
  return [...tables].some((t) => words.has(t.toLowerCase()));
};

/**
 * The migration's session: one whose transaction holds a lock on alembic_version stronger than a
 * read (Alembic's UPDATE comes last, in the same transaction), or one running DDL on the release's
 * tables, or holding ACCESS EXCLUSIVE on one of them while the deploy says it is migrating.
 */
export function findMigrationSession(
  sessions: readonly PolledSession[],
  settings: Pick<LockViewSettings, 'tables' | 'migrating'>,
): { session: PolledSession; how: string } | null {
  const tables = new Set(settings.tables.map((t) => t.table));
  const found: Array<{ session: PolledSession; how: string; rank: number }> = [];
  for (const s of sessions) {
    const version = s.locks.find(
      (l) => l.table === 'alembic_version' && lockStrength(l.mode) >= lockStrength('RowExclusiveLock'),
    );
    if (version) found.push({ session: s, how: `holds ${version.mode} on alembic_version`, rank: 0 });
    else if (ddlOn(s.query, tables))
      found.push({ session: s, how: 'runs DDL on the release’s tables', rank: 1 });
    else if (settings.migrating) {
      const exclusive = s.locks.find((l) => tables.has(l.table) && l.mode === 'AccessExclusiveLock');
      if (exclusive)
        found.push({
          session: s,
          how: `takes ACCESS EXCLUSIVE on ${exclusive.table} while the deploy is migrating`,
          rank: 2,
        });
    }
  }
  // Several: the surest sign first, then the oldest transaction (the one others queue behind).
  found.sort(
    (a, b) => a.rank - b.rank || (b.session.transactionSeconds ?? 0) - (a.session.transactionSeconds ?? 0),
  );
  return found[0] ?? null;
}

/** Sessions waiting behind the migration: blocked by it, or by a session blocked by it. */
export function blockedBehind(sessions: readonly LockSession[], migrationPid: number): LockSession[] {
  const behind = new Set<number>([migrationPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of sessions)
      if (!behind.has(s.pid) && s.blockedBy.some((pid) => behind.has(pid))) {
        behind.add(s.pid);
        grew = true;
      }
  }
  return sessions.filter((s) => s.pid !== migrationPid && behind.has(s.pid));
}

/** 45 s, 4 min, 1 h 5 min: a transaction's age as a person reads it. */
export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds - h * 3600) / 60);
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Sessions holding locks that conflict with what the release needs on its tables. */
export function findBlockers(
  sessions: readonly LockSession[],
  tables: readonly TableLock[],
  exceptPid: number | null,
): LockBlocker[] {
  const needs = new Map(tables.map((t) => [t.table, t.mode]));
  return sessions.flatMap((session): LockBlocker[] => {
    if (session.pid === exceptPid) return [];
    const byTable = new Map<string, LockBlocker['tables'][number]>();
    for (const lock of session.locks) {
      const needed = needs.get(lock.table);
      if (!lock.granted || !needed || !locksConflict(lock.mode, needed)) continue;
      const before = byTable.get(lock.table);
      if (!before || lockStrength(lock.mode) > lockStrength(before.held))
        byTable.set(lock.table, {
          table: lock.table,
          held: lock.mode,
          needed,
          statement: statementTaking(needed),
        });
    }
    return byTable.size > 0 ? [{ session, tables: [...byTable.values()] }] : [];
  });
}

/**
 * One NO-GO reason per table whose blockers' transactions have been open at least
 * `minSeconds`: "providers: 2 sessions in transactions open 4 min (app worker, idle in
 * transaction) would block ALTER TABLE". Hidden sessions (no pg_read_all_stats) have no age and
 * are named in the privilege gap instead.
 */
export function blockerReasons(blockers: readonly LockBlocker[], minSeconds: number): string[] {
  const byTable = new Map<string, { sessions: LockSession[]; statement: string }>();
  for (const b of blockers) {
    if (b.session.transactionSeconds === null || b.session.transactionSeconds < minSeconds) continue;
    for (const t of b.tables) {
      const entry = byTable.get(t.table) ?? { sessions: [], statement: t.statement };
      entry.sessions.push(b.session);
      byTable.set(t.table, entry);
    }
  }
  return [...byTable]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([table, { sessions, statement }]) => {
      const oldest = Math.max(...sessions.map((s) => s.transactionSeconds ?? 0));
      const who = [
        ...new Set([
          ...sessions.map((s) => s.application || 'no application name'),
          ...sessions.map((s) => s.state ?? 'state hidden'),
        ]),
      ];
      return `${table}: ${plural(sessions.length, 'session')} in ${sessions.length === 1 ? 'a transaction' : 'transactions'} open ${formatSeconds(oldest)} (${who.join(', ')}) would block ${statement}`;
    });
}

const setting = (text: string | null, name: string): string | null => {
  if (!text) return null;
  const m = new RegExp(
    `\\b(?:set\\s+(?:session\\s+|local\\s+)?)?${name}\\s*(?:=|to)\\s*'?([^';,\\s]+)`,
    'i',
  ).exec(text);
  return m?.[1] ?? null;
};
const unset = (value: string | null) => value === null || value === '0' || value === '0ms' || value === '0s';

/**
 * Whether the migration's session has lock_timeout and statement_timeout set, as far as anyone
 * can tell: PostgreSQL shows no backend's settings to another, so this reads the `SET` in its
 * query text, then its role's defaults (pg_db_role_setting), then the server's.
 */
export function migrationTimeouts(session: PolledSession): MigrationTimeouts {
  const fromQuery = {
    lock: setting(session.query, 'lock_timeout'),
    statement: setting(session.query, 'statement_timeout'),
  };
  const fromRole = {
    lock: setting(session.settings.roleTimeouts, 'lock_timeout'),
    statement: setting(session.settings.roleTimeouts, 'statement_timeout'),
  };
  const lockTimeout = fromQuery.lock ?? fromRole.lock ?? session.settings.serverLockTimeout;
  const statementTimeout =
    fromQuery.statement ?? fromRole.statement ?? session.settings.serverStatementTimeout;
  const fromText = fromQuery.lock !== null || fromQuery.statement !== null;
  const fromRoleSet = fromRole.lock !== null || fromRole.statement !== null;
  return {
    lockTimeout: unset(lockTimeout) ? null : lockTimeout,
    statementTimeout: unset(statementTimeout) ? null : statementTimeout,
    // Only a SET in the running statement itself is certain; an earlier SET in the session is invisible.
    known: fromText,
    source: fromText
      ? 'the SET in the migration’s statement'
      : fromRoleSet
        ? 'its role’s defaults (pg_db_role_setting); a SET earlier in its session would not show'
        : 'the server’s defaults; PostgreSQL cannot show another session’s settings, so a SET earlier in the migration’s session would not show',
  };
}

export const lockTimeoutGuidance =
  "Set a lock timeout in the migration (`SET lock_timeout = '5s'; SET statement_timeout = '60s';` before its first statement, or `ALTER ROLE … SET lock_timeout = '5s'`): a migration waiting on a lock makes every query behind it wait too, and with a timeout it gives up and can be retried instead.";

/** The guidance when the migration's session shows no lock_timeout; null when one is set. */
export function timeoutGuidance(timeouts: MigrationTimeouts | null): string | null {
  if (!timeouts) return null;
  if (timeouts.lockTimeout !== null) return null;
  return `No lock_timeout seen on the migration’s session (read from ${timeouts.source}). ${lockTimeoutGuidance}`;
}

export function buildLockView(
  sessions: readonly PolledSession[],
  fetchedAt: string,
  settings: LockViewSettings,
): LockView {
  const found = findMigrationSession(sessions, settings);
  const migrationPid = found?.session.pid ?? null;
  const blocked = migrationPid === null ? [] : blockedBehind(sessions, migrationPid);
  const blockers = findBlockers(sessions, settings.tables, migrationPid);
  const waits = blocked.map((s) => s.waitingSeconds).filter((n): n is number => n !== null);
  const longestWaitSeconds = waits.length > 0 ? Math.max(...waits) : null;
  const alerts: string[] = [];
  if (blocked.length > settings.lockBlockedAlertCount)
    alerts.push(
      `${plural(blocked.length, 'session')} waiting behind the migration (alert above ${settings.lockBlockedAlertCount})`,
    );
  if (longestWaitSeconds !== null && longestWaitSeconds > settings.lockWaitAlertSeconds)
    alerts.push(
      `a session has waited ${formatSeconds(longestWaitSeconds)} behind the migration (alert above ${settings.lockWaitAlertSeconds} s)`,
    );
  const hidden = sessions.filter((s) => s.hidden);
  const strip = ({ settings: _settings, ...session }: PolledSession): LockSession => session;
  return {
    fetchedAt,
    blockers: blockers.map((b) => ({ ...b, session: strip(b.session as PolledSession) })),
    migration: found
      ? { session: strip(found.session), how: found.how, timeouts: migrationTimeouts(found.session) }
      : null,
    blocked: blocked.map((s) => strip(s as PolledSession)),
    longestWaitSeconds,
    alert: alerts.length > 0 ? alerts.join('; ') : null,
    noGo: blockerReasons(blockers, settings.blockerMinSeconds),
    privilegeGap:
      hidden.length > 0
        ? `${plural(hidden.length, 'session')} of other roles show <insufficient privilege>: grant the role Flightdeck reads with pg_read_all_stats (GRANT pg_read_all_stats TO …) to see their state, age and query. Their locks and who they block are still shown.`
        : null,
    tables: settings.tables.map((t) => ({ table: t.table, needed: t.mode })),
  };
}
