import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { deployRepository as repo, migrateDeployTables, type DeployTables } from '@flightdeck/bff';
import type { Deploy } from '@flightdeck/contracts';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import {
  postgresAvailability,
  startPostgresServer,
  type PostgresServer,
} from '../support/postgres-server.js';

const baseline: Deploy['baseline'] = {
  databaseRevision: '20260115_0200',
  codeHead: '20260131_0000',
  aliases: [{ functionName: 'api', alias: 'prod', version: '7' }],
  frontendRef: 'v1.2.3',
  snapshot: { identifier: 'prod-credmate-db-pre-migration-20260203-062934', instance: 'prod-credmate-db' },
};
const prepared = (id: string, environment = 'production'): Omit<Deploy, 'migratedAt'> => ({
  id,
  environment,
  phase: 'preparing',
  preparedBy: 'ops@example.com',
  preparedAt: '2026-02-03T06:29:34.000Z',
  baseline,
  pendingAtPrepare: ['20260115_0300'],
  baselineMetrics: { invocations: 100, errors: 5, p99Ms: 4.2, schemaErrors: 5 },
});

/** A store over a PostgreSQL wire (PGlite behind the sandbox's socket, or a real server). */
interface StoreUnderTest {
  url: string;
  close(): Promise<void>;
}

function repositoryTests(name: string, start: () => Promise<StoreUnderTest>, skip = false) {
  describe.skipIf(skip)(`deploy repository on ${name}`, () => {
    let target: StoreUnderTest;
    let db: Kysely<DeployTables>;
    const open = (url: string) =>
      new Kysely<DeployTables>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
      });
    beforeAll(async () => {
      target = await start();
      db = open(target.url);
      await migrateDeployTables(db);
    }, 60_000);
    afterAll(async () => {
      await db?.destroy();
      await target?.close();
    });

    it('records a deploy with its baseline and a "prepared" event, and finds it active', async () => {
      await repo.createDeploy(db, prepared('d1'));
      expect(await repo.getDeploy(db, 'd1')).toEqual({ ...prepared('d1'), migratedAt: null });
      expect((await repo.activeDeploy(db, 'production'))?.id).toBe('d1');
      expect(await repo.activeDeploy(db, 'staging')).toBeNull();
      expect(await repo.getDeploy(db, 'nope')).toBeNull();
      const timeline = await repo.deployTimeline(db, 'd1');
      expect(timeline).toMatchObject([{ kind: 'prepared', message: 'Deploy prepared by ops@example.com' }]);
    });

    it('refuses a second active deploy in the same environment, naming the active one', async () => {
      await expect(repo.createDeploy(db, prepared('d2'))).rejects.toThrow(
        /Deploy d1 is already active in production/,
      );
      expect(await repo.getDeploy(db, 'd2')).toBeNull();
    });

    it('appends timeline events in order and moves phases', async () => {
      await repo.appendDeployEvent(db, 'd1', {
        kind: 'rollback-started',
        message: 'Rolling back',
        at: '2026-02-03T07:00:00.000Z',
        details: { step: 1 },
      });
      await repo.setDeployPhase(db, 'd1', 'monitoring', {
        message: 'Migrated',
        at: '2026-02-03T07:01:00.000Z',
        migratedAt: '2026-02-03T07:01:00.000Z',
      });
      const timeline = await repo.deployTimeline(db, 'd1');
      expect(timeline.map((e) => e.kind)).toEqual(['prepared', 'rollback-started', 'phase-monitoring']);
      expect(timeline[1]?.details).toEqual({ step: 1 });
      expect(await repo.getDeploy(db, 'd1')).toMatchObject({
        phase: 'monitoring',
        migratedAt: '2026-02-03T07:01:00.000Z',
      });
    });

    it('keeps evidence history by change and refreshes the time of an unchanged result', async () => {
      const ev = (value: string, passed: boolean, at: string) => ({
        question: 'errors?',
        value,
        passed,
        evaluatedAt: at,
      });
      expect(
        await repo.recordEvidence(db, 'd1', 'error-rate', ev('0 errors', true, '2026-02-03T07:02:00.000Z')),
      ).toBe('changed');
      expect(
        await repo.recordEvidence(db, 'd1', 'error-rate', ev('0 errors', true, '2026-02-03T07:03:00.000Z')),
      ).toBe('same');
      expect((await repo.latestEvidence(db, 'd1')).get('error-rate')?.evaluatedAt).toBe(
        '2026-02-03T07:03:00.000Z',
      );
      expect(
        await repo.recordEvidence(db, 'd1', 'error-rate', ev('3 errors', false, '2026-02-03T07:04:00.000Z')),
      ).toBe('changed');
      expect((await repo.latestEvidence(db, 'd1')).get('error-rate')).toMatchObject({
        value: '3 errors',
        passed: false,
      });
    });

    it('allows one standing sign-off per item, revocable once', async () => {
      await repo.signOffItem(db, 'd1', 'workflows', {
        by: 'lead@example.com',
        at: '2026-02-03T07:05:00.000Z',
        comment: 'tested',
      });
      await expect(
        repo.signOffItem(db, 'd1', 'workflows', {
          by: 'lead@example.com',
          at: '2026-02-03T07:06:00.000Z',
          comment: 'again',
        }),
      ).rejects.toThrow(/already signed off/);
      expect(
        await repo.revokeSignOff(db, 'd1', 'workflows', {
          by: 'lead2@example.com',
          at: '2026-02-03T07:07:00.000Z',
          reason: 'bug',
        }),
      ).toBe(true);
      expect(
        await repo.revokeSignOff(db, 'd1', 'workflows', {
          by: 'lead2@example.com',
          at: '2026-02-03T07:08:00.000Z',
          reason: 'again',
        }),
      ).toBe(false);
      expect((await repo.latestSignOffs(db, 'd1')).get('workflows')).toMatchObject({
        by: 'lead@example.com',
        revokedBy: 'lead2@example.com',
        revokeReason: 'bug',
        revokedAt: '2026-02-03T07:07:00.000Z',
      });
    });

    it('lets a new deploy start once the active one is done', async () => {
      await repo.setDeployPhase(db, 'd1', 'done', {
        message: 'Watch finished',
        at: '2026-02-04T07:01:00.000Z',
      });
      await repo.createDeploy(db, prepared('d3'));
      expect((await repo.activeDeploy(db, 'production'))?.id).toBe('d3');
      expect((await repo.listDeploys(db)).map((d) => d.id).sort()).toEqual(['d1', 'd3']);
    });
  });
}

repositoryTests('PGlite', async () => {
  const sandbox: Sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
  return { url: sandbox.databaseUrl, close: () => sandbox.close() };
});

const { available } = postgresAvailability();
repositoryTests(
  'a real PostgreSQL server',
  async () => {
    const server: PostgresServer = await startPostgresServer();
    return { url: server.url, close: () => server.stop() };
  },
  !available,
);
