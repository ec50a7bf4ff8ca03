import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { DatabaseLocks, DeployDetail } from '@flightdeck/contracts';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import { buildLockView, lockPollParams, lockPollSql, readLockRows } from '@flightdeck/core';
import { revisionSql, storyStartSql } from '@flightdeck/sandbox';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';

const { available } = postgresAvailability();
const pending = ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'];
/** The migration poll's interval here: the measured figures must match within it. */
const pollMs = 500;

/**
 * The migration minute against a real PostgreSQL server (the story's database at 20260115_0200):
 * a long transaction is a NO-GO reason naming the table, its state and age; the story's migration
 * run in one transaction, made to wait, with sessions queued behind it, is seen live and measured.
 */
describe.skipIf(!available)('locks on a real PostgreSQL server', () => {
  let server: PostgresServer;
  let app: TestApp;
  let deployId: string;
  const clients: pg.Client[] = [];

  const session = async (application: string) => {
    const client = new pg.Client({ connectionString: server.url, application_name: application });
    await client.connect();
    // A session killed by the server at the end must not crash the test process.
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const change = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const detail = async () => (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body;
  const lockItem = (d: DeployDetail) => d.checklist.find((i) => i.id === 'no-lock-blockers')!;
  const evaluateUntil = (check: (d: DeployDetail) => boolean) =>
    waitFor(async () => {
      await app.deploys!.evaluator.evaluateNow();
      const d = await detail();
      return check(d) ? d : undefined;
    }, 20_000);
  const locks = async () => (await app.get<DatabaseLocks>('/api/v1/database/locks')).body;

  beforeAll(async () => {
    server = await startPostgresServer();
    const setup = new pg.Client({ connectionString: server.url });
    await setup.connect();
    await setup.query(storyStartSql());
    await setup.end();
    app = await buildTestApp({
      database: { url: server.url },
      deploys: {
        evaluateMs: 3_600_000,
        lockBlockerSeconds: 1,
        lockWaitAlertSeconds: 2,
        lockBlockedAlertCount: 2,
      },
      locks: { readyIntervalMs: pollMs, migratingIntervalMs: pollMs, idleIntervalMs: pollMs },
      auth: { mutationsPerMinute: 1_000_000 },
      // Only the outbox is looked at: nothing listens on the discard port.
      notifications: {
        webhooks: [{ name: 'oncall', url: 'http://127.0.0.1:9/hook', events: ['deploy.lock-alert'] }],
      },
    });
    // Prepare records the aliases' versions: wait for their first answer.
    await waitFor(async () =>
      (await app.get<any>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
    );
    const prepared = await change('/api/v1/deploys');
    expect(prepared.status).toBe(201);
    deployId = prepared.body.id;
    expect(prepared.body.pendingAtPrepare).toEqual(pending);
  }, 90_000);
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    await app?.close();
    await server?.stop();
  });

  it('evidence 1: a SELECT … FOR UPDATE left open fails no-lock-blockers naming the table, state and age; it passes once it ends', async () => {
    const worker = await session('app worker');
    await worker.query('BEGIN');
    await worker.query('SELECT id FROM providers WHERE id = 1 FOR UPDATE');
    const failing = await evaluateUntil((d) => lockItem(d).state === 'fail');
    expect(lockItem(failing).phase).toBe('pre-deploy');
    expect(lockItem(failing).evidence?.value).toMatch(
      /^providers: 1 session in a transaction open \d+ s \(app worker, idle in transaction\) would block ALTER TABLE/,
    );
    expect(failing.verdict).toMatchObject({ gate: 'migration', verdict: 'NO-GO' });
    const view = await locks();
    expect(view.locks.data?.noGo).toEqual([expect.stringMatching(/^providers: 1 session/)]);
    expect(view.locks.data?.blockers[0]?.session).toMatchObject({
      application: 'app worker',
      state: 'idle in transaction',
      query: 'SELECT id FROM providers WHERE id = 1 FOR UPDATE',
    });

    await worker.query('COMMIT');
    const passing = await evaluateUntil((d) => lockItem(d).state === 'pass');
    expect(lockItem(passing).evidence?.value).toMatch(/^no blocking transaction/);
  });

  it('evidence 2: the story’s migration in one transaction, made to wait, three sessions behind it: seen live, then measured into the report', async () => {
    // The snapshot becomes available a minute of scenario time on; then the migration is told.
    await app.control('POST', 'clock/advance', { seconds: 61 });
    await evaluateUntil((d) => d.deploy.phase === 'ready');
    expect((await change(`/api/v1/deploys/${deployId}/migration`, { state: 'started' })).status).toBe(200);

    // An open transaction reading licenses: the migration's ALTER TABLE licenses will wait for it.
    const reader = await session('report job');
    await reader.query('BEGIN');
    await reader.query('SELECT count(*) FROM licenses');

    const migration = await session('alembic');
    await migration.query('BEGIN');
    // Statement by statement, as Alembic sends them; the last revision stops at licenses.
    const statements = pending
      .map(revisionSql)
      .join('\n')
      .split(/;\s*\n/)
      .map((s) => s.replace(/^(\s*--[^\n]*\n)+/, '').trim())
      .filter((s) => s !== '');
    let providersLockedAt = 0;
    const run = (async () => {
      for (const statement of statements) {
        await migration.query(statement);
        if (!providersLockedAt && /^ALTER TABLE providers/.test(statement)) providersLockedAt = Date.now();
      }
    })();
    await waitFor(async () =>
      (await locks()).locks.data?.migration?.session.waitingSeconds ? true : undefined,
    );

    // Three requests queue behind the migration's ACCESS EXCLUSIVE on providers.
    const queued = await Promise.all([1, 2, 3].map((n) => session(`api ${n}`)));
    const requests = queued.map((c) => c.query('SELECT count(*) FROM providers'));
    const during = await waitFor(async () => {
      const view = (await locks()).locks.data;
      return view && view.blocked.length === 3 && (view.longestWaitSeconds ?? 0) > 2 ? view : undefined;
    });
    expect(during.migration?.session).toMatchObject({ application: 'alembic', state: 'active' });
    expect(during.migration?.session.query).toMatch(/^ALTER TABLE licenses ADD COLUMN/);
    expect(during.migration?.session.locks).toEqual(
      expect.arrayContaining([{ table: 'providers', mode: 'AccessExclusiveLock', granted: true }]),
    );
    expect(during.migration?.timeouts).toMatchObject({ lockTimeout: null, known: false });
    expect(during.blocked.map((s) => s.application).sort()).toEqual(['api 1', 'api 2', 'api 3']);
    expect(during.blocked.every((s) => s.query === 'SELECT count(*) FROM providers')).toBe(true);
    expect(during.alert).toContain('3 sessions waiting behind the migration');
    // The migration's own wait: the reader's transaction on licenses.
    expect(during.blockers.map((b) => b.session.application)).toContain('report job');
    const response = await locks();
    expect(response.guidance).toContain("SET lock_timeout = '5s'");
    // Red once, notified once: one outbox row for the deploy, however many polls stay red.
    const alerts = await waitFor(async () => {
      const rows = await (app.store.db as any)
        .selectFrom('notification_deliveries')
        .select(['type', 'deploy_id', 'event'])
        .where('type', '=', 'deploy.lock-alert')
        .execute();
      return rows.length > 0 ? rows : undefined;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ deploy_id: deployId });
    expect(JSON.stringify(alerts[0].event)).toContain('3 sessions waiting behind the migration');

    await reader.query('COMMIT');
    await run;
    await migration.query('COMMIT');
    const held = (Date.now() - providersLockedAt) / 1000;
    await Promise.all(requests);

    const report = await waitFor(async () => {
      const r = await fetch(`${app.url}/api/v1/deploys/${deployId}/report`, {
        headers: { ...(await app.signIn('viewer')), accept: 'text/markdown' },
      });
      const text = await r.text();
      return text.includes('| providers |') ? text : undefined;
    });
    expect(report).toContain('## Locks during the migration (measured)');
    expect(report).toContain('one lock window');
    const row = report.split('\n').find((l) => l.startsWith('| providers |'))!;
    const [, , modes, times, longest, waited] = row.split('|').map((c) => c.trim());
    expect(modes).toContain('ACCESS EXCLUSIVE');
    const measured = Number(/^([\d.]+) s/.exec(times!)![1]);
    // Within a poll interval of what was held (plus the poll's own scheduling on a busy runner).
    expect(Math.abs(measured - held)).toBeLessThanOrEqual(pollMs / 1000 + 0.75);
    // The view saw a wait over 2 s before the commit; the report rounds to a tenth.
    expect(Number(longest!.replace(' s', ''))).toBeGreaterThanOrEqual(2);
    expect(waited).toBe('3');
    expect(report).toContain("SET lock_timeout = '5s'");
  });

  it('a role without pg_read_all_stats: the view names the missing privilege and still shows who holds which lock', async () => {
    const admin = await session('setup');
    await admin.query('CREATE ROLE flightdeck_reader LOGIN');
    const worker = await session('nightly export');
    await worker.query('BEGIN');
    await worker.query('SELECT id FROM providers WHERE id = 1 FOR UPDATE');
    const reader = new pg.Client({
      connectionString: server.url.replace('postgres@', 'flightdeck_reader@'),
      application_name: 'flightdeck',
    });
    await reader.connect();
    clients.push(reader);
    const rows = (await reader.query(lockPollSql, lockPollParams())).rows;
    const view = buildLockView(readLockRows(rows), new Date().toISOString(), {
      tables: [{ table: 'providers', mode: 'AccessExclusiveLock' }],
      blockerMinSeconds: 0,
      lockWaitAlertSeconds: 10,
      lockBlockedAlertCount: 5,
      migrating: false,
    });
    expect(view.privilegeGap).toContain('pg_read_all_stats');
    const blocker = view.blockers.find((b) => b.session.application === 'nightly export');
    expect(blocker?.session).toMatchObject({ hidden: true, query: null, state: null });
    expect(blocker?.tables).toEqual([
      { table: 'providers', held: 'RowShareLock', needed: 'AccessExclusiveLock', statement: 'ALTER TABLE' },
    ]);
    await admin.query('GRANT pg_read_all_stats TO flightdeck_reader');
    const granted = readLockRows((await reader.query(lockPollSql, lockPollParams())).rows);
    expect(granted.find((s) => s.application === 'nightly export')).toMatchObject({
      hidden: false,
      state: 'idle in transaction',
    });
    await worker.query('COMMIT');
  });
});
