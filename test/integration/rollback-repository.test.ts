// Rollback jobs in the store: at most one active rollback per target, decided by the store
// for every replica. Two Kysely pools stand for two BFF replicas sharing one PostgreSQL.
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  migrateRollbackTables,
  StoreRollbackRepository,
  type RollbackTables,
  type StoredRollback,
} from '@flightdeck/bff';
import type { RollbackJob } from '@flightdeck/contracts';
import { startSandbox } from '@flightdeck/sandbox';
import { postgresAvailability, startPostgresServer } from '../support/postgres-server.js';

function candidate(target: string, desired: string, user = 'omar'): StoredRollback {
  const job: RollbackJob = {
    id: randomUUID(),
    deployId: 'd1',
    kind: 'lambda',
    target,
    requestedBy: user,
    requestedAt: new Date().toISOString(),
    state: 'pending',
    plan: {
      deployId: 'd1',
      kind: 'lambda',
      target,
      confirmationText: target,
      current: 'prod -> 14',
      desired,
      calls: [],
      expectedDuration: '2-3 minutes',
      revisionId: 'r1',
      order: { order: 'alias-alone', steps: ['lambda'], reasons: [], downgrades: [] },
      blocked: null,
    },
    steps: [{ name: 'update alias', state: 'pending', detail: null, updatedAt: null }],
    verification: [],
    cutOver: [],
    error: null,
  };
  return { job, expectedRevisionId: 'r1', idempotencyKey: randomUUID() };
}

function repositoryTests(
  name: string,
  start: () => Promise<{ url: string; close(): Promise<void> }>,
  skip = false,
) {
  describe.skipIf(skip)(`rollback jobs on ${name}`, () => {
    let target: { url: string; close(): Promise<void> };
    const pools: Kysely<RollbackTables>[] = [];
    let replicas: StoreRollbackRepository[];
    const open = (url: string) =>
      new Kysely<RollbackTables>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
      });

    beforeAll(async () => {
      target = await start();
      pools.push(open(target.url), open(target.url));
      await migrateRollbackTables(pools[0]!);
      replicas = pools.map((db) => new StoreRollbackRepository(db));
    }, 60_000);
    afterAll(async () => {
      for (const db of pools) await db.destroy();
      await target?.close();
    });

    it('50 concurrent requests over two replicas: one job created, every answer names it', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          replicas[i % 2]!.createUnlessActive(candidate('api', 'prod -> 13', `user${i}`)),
        ),
      );
      expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'existing')).toHaveLength(49);
      expect(new Set(outcomes.map((o) => o.stored.job.id)).size).toBe(1);
    });

    it('another rollback of the same target to something else is a conflict naming the active job', async () => {
      const active = (await replicas[0]!.unfinished()).find((s) => s.job.target === 'api')!;
      const other = await replicas[1]!.createUnlessActive(candidate('api', 'prod -> 12'));
      expect(other).toMatchObject({ outcome: 'conflict', stored: { job: { id: active.job.id } } });
    });

    it('the same Idempotency-Key names its job after it finished; a new rollback may start then', async () => {
      const first = candidate('worker', 'prod -> 8');
      const created = await replicas[0]!.createUnlessActive(first);
      expect(created.outcome).toBe('created');
      const stored = created.stored;
      stored.job.state = 'succeeded';
      await replicas[0]!.save(stored);
      const replay = await replicas[1]!.createUnlessActive({
        ...candidate('worker', 'prod -> 8'),
        idempotencyKey: first.idempotencyKey,
      });
      expect(replay).toMatchObject({
        outcome: 'existing',
        stored: { job: { id: first.job.id, state: 'succeeded' } },
      });
      const again = await replicas[1]!.createUnlessActive(candidate('worker', 'prod -> 8'));
      expect(again.outcome).toBe('created');
      expect((await replicas[0]!.latestFor('d1', 'lambda', 'worker'))?.job.id).toBe(again.stored.job.id);
      expect((await replicas[0]!.get(first.job.id))?.job.state).toBe('succeeded');
    });
  });
}

repositoryTests('PGlite', async () => {
  const sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
  return { url: sandbox.databaseUrl, close: () => sandbox.close() };
});

const { available } = postgresAvailability();
repositoryTests(
  'a real PostgreSQL server',
  async () => {
    const server = await startPostgresServer();
    return { url: server.url, close: () => server.stop() };
  },
  !available,
);
