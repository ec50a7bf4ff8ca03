import { describe, expect, it } from 'vitest';
import type { ReportMigration } from '@flightdeck/contracts';
import { judgeLockBlockers } from './lock-rule.js';
import { LockMeasurement, renderLockMeasurement } from './lock-measurement.js';
import { readLockRows } from './lock-query.js';
import { buildLockView, locksConflict, migrationTimeouts, releaseTableLocks } from './lock-view.js';

/** A pg_stat_activity + pg_locks row as the poll query returns it. */
const row = (over: Record<string, unknown>) => ({
  pid: 100,
  application: 'app worker',
  state: 'idle in transaction',
  query: 'SELECT * FROM providers WHERE id = 1 FOR UPDATE',
  transaction_seconds: 240,
  query_seconds: 239,
  blocked_by: [],
  locks: [{ table: 'providers', mode: 'RowShareLock', granted: true, waiting_seconds: null }],
  role_timeouts: null,
  server_lock_timeout: '0',
  server_statement_timeout: '0',
  ...over,
});

const settings = {
  tables: [
    { table: 'providers', mode: 'AccessExclusiveLock' as const },
    { table: 'licenses', mode: 'AccessExclusiveLock' as const },
  ],
  blockerMinSeconds: 10,
  lockWaitAlertSeconds: 5,
  lockBlockedAlertCount: 2,
  migrating: false,
};
const at = (s: number) => new Date(Date.UTC(2026, 1, 3, 7, 0, s)).toISOString();

describe('the lock view', () => {
  it('names a long transaction on a table the release alters as a NO-GO reason, worded for a person', () => {
    const sessions = readLockRows([
      row({ pid: 101 }),
      row({ pid: 102, transaction_seconds: 200 }),
      // Brief: an ordinary request, not a reason to stop.
      row({ pid: 103, application: 'api', state: 'active', transaction_seconds: 0.2 }),
      // Another table: not the release's.
      row({ pid: 104, locks: [{ table: 'organizations', mode: 'RowExclusiveLock', granted: true }] }),
    ]);
    const view = buildLockView(sessions, at(0), settings);
    expect(view.blockers.map((b) => b.session.pid)).toEqual([101, 102, 103]);
    expect(view.noGo).toEqual([
      'providers: 2 sessions in transactions open 4 min (app worker, idle in transaction) would block ALTER TABLE',
    ]);
    expect(view.migration).toBeNull();
    const result = judgeLockBlockers(
      { type: 'no-lock-blockers' },
      { view, error: null, blockerMinSeconds: 10 },
    );
    expect(result).toMatchObject({ passed: false });
    expect(result!.value).toContain('providers: 2 sessions');
  });

  it('passes once the transactions end, and counts a brief one without failing', () => {
    const view = buildLockView(readLockRows([row({ pid: 103, transaction_seconds: 0.5 })]), at(0), settings);
    const result = judgeLockBlockers(
      { type: 'no-lock-blockers' },
      { view, error: null, blockerMinSeconds: 10 },
    );
    expect(result).toMatchObject({
      passed: true,
      value: 'no blocking transaction (1 brief session under 10 s)',
    });
  });

  it('judges by PostgreSQL’s conflict table: a read blocks ALTER TABLE but not CREATE INDEX', () => {
    expect(locksConflict('AccessShareLock', 'AccessExclusiveLock')).toBe(true);
    expect(locksConflict('AccessShareLock', 'ShareLock')).toBe(false);
    expect(locksConflict('RowExclusiveLock', 'ShareLock')).toBe(true);
    const view = buildLockView(
      readLockRows([row({ locks: [{ table: 'providers', mode: 'AccessShareLock', granted: true }] })]),
      at(0),
      { ...settings, tables: [{ table: 'providers', mode: 'ShareLock' }] },
    );
    expect(view.blockers).toEqual([]);
  });

  it('finds the migration by its lock on alembic_version, the sessions behind it and the longest wait', () => {
    const migration = row({
      pid: 200,
      application: 'alembic',
      state: 'active',
      query: "ALTER TABLE providers ADD COLUMN home_address TEXT; password='hunter2'",
      transaction_seconds: 30,
      query_seconds: 12,
      locks: [
        { table: 'alembic_version', mode: 'RowExclusiveLock', granted: true },
        { table: 'providers', mode: 'AccessExclusiveLock', granted: true },
      ],
    });
    const waiter = (pid: number, wait: number, blockedBy: number[]) =>
      row({
        pid,
        application: 'api',
        state: 'active',
        query: 'SELECT * FROM providers',
        blocked_by: blockedBy,
        locks: [{ table: 'providers', mode: 'AccessShareLock', granted: false, waiting_seconds: wait }],
      });
    const view = buildLockView(
      readLockRows([migration, waiter(301, 4, [200]), waiter(302, 9, [200]), waiter(303, 1, [302])]),
      at(0),
      settings,
    );
    expect(view.migration?.session.pid).toBe(200);
    expect(view.migration?.how).toBe('holds RowExclusiveLock on alembic_version');
    expect(view.migration?.session.query).not.toContain('hunter2');
    expect(view.blocked.map((s) => s.pid)).toEqual([301, 302, 303]);
    expect(view.longestWaitSeconds).toBe(9);
    expect(view.alert).toContain('3 sessions waiting behind the migration');
    expect(view.alert).toContain('waited 9 s');
    // The migration is not its own blocker.
    expect(view.blockers).toEqual([]);
  });

  it('says which privilege is missing and keeps the locks it can see', () => {
    const view = buildLockView(
      readLockRows([
        row({
          query: '<insufficient privilege>',
          state: null,
          transaction_seconds: null,
          query_seconds: null,
          application: '',
        }),
      ]),
      at(0),
      settings,
    );
    expect(view.privilegeGap).toContain('pg_read_all_stats');
    expect(view.blockers[0]?.session).toMatchObject({ hidden: true, query: null });
    expect(view.noGo).toEqual([]);
  });

  it('reads lock_timeout from the migration’s SET, else says honestly it cannot know', () => {
    const [withSet, without] = readLockRows([
      row({ query: "SET lock_timeout = '5s'; ALTER TABLE providers ADD COLUMN x int" }),
      row({}),
    ]);
    expect(migrationTimeouts(withSet!)).toMatchObject({ lockTimeout: '5s', known: true });
    expect(migrationTimeouts(without!)).toMatchObject({ lockTimeout: null, known: false });
    expect(migrationTimeouts(without!).source).toContain('cannot show another session');
  });

  it('takes the tables and modes a release needs from the migration analysis, leaving out tables it creates', () => {
    const revision = (r: string, locks: ReportMigration['locks'], created: string[] = []) =>
      ({ revision: r, tablesCreated: created, locks }) as unknown as ReportMigration;
    expect(
      releaseTableLocks(
        [
          revision(
            'a',
            [
              { table: 'payment_methods', mode: 'AccessExclusiveLock' },
              { table: 'providers', mode: 'ShareRowExclusiveLock' },
            ],
            ['payment_methods'],
          ),
          revision('b', [{ table: 'providers', mode: 'AccessExclusiveLock' }]),
          revision('old', [{ table: 'users', mode: 'AccessExclusiveLock' }]),
        ],
        ['a', 'b'],
      ),
    ).toEqual([{ table: 'providers', mode: 'AccessExclusiveLock' }]);
  });
});

describe('the lock measurement', () => {
  const migrationView = (s: number, transactionSeconds: number, waiters: Array<[number, number]> = []) =>
    buildLockView(
      readLockRows([
        row({
          pid: 200,
          state: 'active',
          query: 'ALTER TABLE providers ADD COLUMN x int',
          transaction_seconds: transactionSeconds,
          locks: [
            { table: 'alembic_version', mode: 'RowExclusiveLock', granted: true },
            { table: 'providers', mode: 'AccessExclusiveLock', granted: true },
          ],
        }),
        ...waiters.map(([pid, wait]) =>
          row({
            pid,
            blocked_by: [200],
            locks: [{ table: 'providers', mode: 'RowExclusiveLock', granted: false, waiting_seconds: wait }],
          }),
        ),
      ]),
      at(s),
      settings,
    );

  it('adds up the time under each mode, the longest block and distinct waiters, as one lock window', () => {
    const m = new LockMeasurement(1000);
    m.observe(buildLockView([], at(0), settings));
    m.observe(migrationView(1, 0.5));
    m.observe(migrationView(2, 1.5, [[301, 0.5]]));
    m.observe(
      migrationView(3, 2.5, [
        [301, 1.5],
        [302, 0.4],
      ]),
    );
    m.observe(migrationView(4, 3.5, [[301, 2.5]]));
    m.observe(buildLockView([], at(5), settings));
    const figures = m.finish(at(5));
    expect(figures.oneTransaction).toBe(true);
    const providers = figures.tables.find((t) => t.table === 'providers');
    // Seen at 1..4 s: 3 s between the polls plus half a gap at each edge.
    expect(providers).toEqual({
      table: 'providers',
      modes: [{ mode: 'AccessExclusiveLock', seconds: 4 }],
      longestBlockSeconds: 2.5,
      sessionsWaited: 2,
    });
    const report = renderLockMeasurement(figures).join('\n');
    expect(report).toContain('one lock window');
    expect(report).toContain('| providers | ACCESS EXCLUSIVE | 4 s | 2.5 s | 2 |');
    expect(report).toContain("SET lock_timeout = '5s'");
  });

  it('tells several transactions apart', () => {
    const m = new LockMeasurement(1000);
    m.observe(migrationView(1, 0.5));
    m.observe(migrationView(4, 0.5));
    expect(m.finish(at(5)).oneTransaction).toBe(false);
  });
});
