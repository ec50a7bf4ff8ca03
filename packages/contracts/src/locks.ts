// Wire shapes of the migration minute (issue 20): who holds and who waits for table locks on the
// target database, before and during a release's migration, and what was measured after it.
import Type, { type Static } from 'typebox';
import { LockLevel } from './migrations.js';
import { Nullable, strict } from './schema-helpers.js';
import { SourceState } from './source-state.js';

export const SessionLock = Type.Object(
  {
    table: Type.String(),
    mode: LockLevel,
    granted: Type.Boolean({ description: 'False while the session waits for it' }),
  },
  strict,
);
export type SessionLock = Static<typeof SessionLock>;

/** One backend of the target database, as pg_stat_activity and pg_locks describe it. */
export const LockSession = Type.Object(
  {
    pid: Type.Integer(),
    application: Type.String({ description: 'application_name; empty when the client set none' }),
    state: Nullable(Type.String({ description: 'active, idle in transaction …; null when hidden' })),
    query: Nullable(Type.String({ description: 'The first part of its query, secrets redacted' })),
    transactionSeconds: Nullable(Type.Number({ description: 'How long its transaction has been open' })),
    querySeconds: Nullable(Type.Number({ description: 'How long its current statement has run' })),
    waitingSeconds: Nullable(Type.Number({ description: 'How long it has waited for a lock' })),
    blockedBy: Type.Array(Type.Integer(), { description: 'pg_blocking_pids' }),
    locks: Type.Array(SessionLock),
    hidden: Type.Boolean({
      description: 'Its details read <insufficient privilege>: the role lacks pg_read_all_stats',
    }),
  },
  strict,
);
export type LockSession = Static<typeof LockSession>;

/** A session holding locks on tables the release changes, that its migration would wait for. */
export const LockBlocker = Type.Object(
  {
    session: LockSession,
    tables: Type.Array(
      Type.Object(
        {
          table: Type.String(),
          held: LockLevel,
          needed: LockLevel,
          statement: Type.String({ description: 'What would wait, e.g. ALTER TABLE' }),
        },
        strict,
      ),
    ),
  },
  strict,
);
export type LockBlocker = Static<typeof LockBlocker>;

export const MigrationTimeouts = Type.Object(
  {
    lockTimeout: Nullable(
      Type.String({ description: 'Set by the migration (SET lock_timeout) or its role' }),
    ),
    statementTimeout: Nullable(Type.String()),
    known: Type.Boolean({
      description:
        'False when PostgreSQL could not say: another backend’s settings are not visible, only its SETs in the query text and the role’s defaults',
    }),
    source: Type.String({ description: 'Where the values were read, in words' }),
  },
  strict,
);
export type MigrationTimeouts = Static<typeof MigrationTimeouts>;

export const LockView = Type.Object(
  {
    fetchedAt: Type.String({ format: 'date-time' }),
    blockers: Type.Array(LockBlocker),
    migration: Nullable(
      Type.Object(
        {
          session: LockSession,
          how: Type.String({ description: 'Why this session is taken for the migration' }),
          timeouts: MigrationTimeouts,
        },
        strict,
      ),
    ),
    blocked: Type.Array(LockSession, { description: 'Sessions waiting behind the migration' }),
    longestWaitSeconds: Nullable(Type.Number()),
    /** Red on the panel: the blocked count or the longest wait over the thresholds. */
    alert: Nullable(Type.String()),
    noGo: Type.Array(Type.String({ description: 'NO-GO reasons, one per table' })),
    privilegeGap: Nullable(
      Type.String({ description: 'Which privilege is missing and what cannot be seen without it' }),
    ),
    tables: Type.Array(Type.Object({ table: Type.String(), needed: LockLevel }, strict), {
      description: 'The release’s tables and the lock each needs (from the migration analysis)',
    }),
  },
  strict,
);
export type LockView = Static<typeof LockView>;

/** What was held, per table, while the migration ran: measured by polling, not estimated. */
export const MeasuredTableLock = Type.Object(
  {
    table: Type.String(),
    modes: Type.Array(Type.Object({ mode: LockLevel, seconds: Type.Number() }, strict)),
    longestBlockSeconds: Type.Number({ description: 'The longest wait a session had behind it' }),
    sessionsWaited: Type.Integer({ description: 'Distinct sessions that waited on it' }),
  },
  strict,
);
export type MeasuredTableLock = Static<typeof MeasuredTableLock>;

export const MigrationLockMeasurement = Type.Object(
  {
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.String({ format: 'date-time' }),
    pollIntervalMs: Type.Integer({ description: 'Figures are within one poll interval' }),
    oneTransaction: Type.Boolean({ description: 'Whether the migration ran as one transaction' }),
    tables: Type.Array(MeasuredTableLock),
    timeouts: Nullable(MigrationTimeouts),
    migrationWaitedSeconds: Type.Number({
      description: 'The longest the migration itself waited for a lock',
    }),
  },
  strict,
);
export type MigrationLockMeasurement = Static<typeof MigrationLockMeasurement>;

export const DeployLocks = Type.Object(
  {
    deployId: Type.String(),
    measurement: Nullable(MigrationLockMeasurement),
  },
  strict,
);
export type DeployLocks = Static<typeof DeployLocks>;

export const DatabaseLocks = Type.Object(
  {
    environment: Type.String(),
    serverTime: Type.String({ format: 'date-time' }),
    locks: SourceState(LockView),
    guidance: Nullable(Type.String({ description: 'Why and how to set lock_timeout, when it is unset' })),
  },
  strict,
);
export type DatabaseLocks = Static<typeof DatabaseLocks>;
