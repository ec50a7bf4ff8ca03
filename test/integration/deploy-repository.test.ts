import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import {
  deployRepository as repo,
  migrateDeployLifecycle,
  migrateDeployTables,
  migrateDeployTablesAsFirstStored,
  migrateEvidenceAge,
  type DeployTables,
} from '@flightdeck/bff';
import { sql } from 'kysely';
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
const prepared = (
  id: string,
  environment = 'production',
): Omit<Deploy, 'migratedAt' | 'migrationStartedAt' | 'releasedAt' | 'watchStartedAt' | 'ending'> => ({
  id,
  environment,
  phase: 'preparing',
  preparedBy: 'ops@example.com',
  preparedAt: '2026-02-03T06:29:34.000Z',
  baseline,
  pendingAtPrepare: ['20260115_0300'],
  baselineMetrics: { invocations: 100, errors: 5, p99Ms: 4.2, schemaErrors: 5 },
  release: {
    name: 'v2.14.0',
    commit: 'abc1234',
    frontendRef: null,
    url: null,
    notes: null,
    targetRevision: '20260131_0000',
  },
  targetRevision: '20260131_0000',
});
const afterPrepare = {
  migratedAt: null,
  migrationStartedAt: null,
  releasedAt: null,
  watchStartedAt: null,
  ending: null,
};

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
      await repo.createDeploy(db, prepared('d1'), [], null);
      expect(await repo.getDeploy(db, 'd1')).toEqual({ ...prepared('d1'), ...afterPrepare });
      expect((await repo.activeDeploy(db, 'production'))?.id).toBe('d1');
      expect(await repo.activeDeploy(db, 'staging')).toBeNull();
      expect(await repo.getDeploy(db, 'nope')).toBeNull();
      const timeline = await repo.deployTimeline(db, 'd1');
      expect(timeline).toMatchObject([
        { kind: 'prepared', message: 'Deploy prepared by ops@example.com for v2.14.0' },
      ]);
    });

    it('refuses a second active deploy in the same environment, naming the active one', async () => {
      await expect(repo.createDeploy(db, prepared('d2'), [], null)).rejects.toThrow(
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
      expect(
        await repo.transitionDeploy(
          db,
          'd1',
          'preparing',
          'monitoring',
          { migratedAt: '2026-02-03T07:01:00.000Z', watchStartedAt: '2026-02-03T07:01:00.000Z' },
          { message: 'Migrated', at: '2026-02-03T07:01:00.000Z' },
        ),
      ).toBe(true);
      // Judged from a phase it is no longer in: nothing written.
      expect(
        await repo.transitionDeploy(
          db,
          'd1',
          'preparing',
          'cancelled',
          {},
          { message: 'late', at: '2026-02-03T07:02:00.000Z' },
        ),
      ).toBe(false);
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

    it('keeps when the data behind evidence was fetched and the failing source: a new error is a change, the same one moves the times', async () => {
      const ev = (dataFetchedAt: string, evaluatedAt: string, failing: boolean) => ({
        question: 'errors?',
        value: '3 errors',
        passed: false,
        evaluatedAt,
        dataFetchedAt,
        sourceError: failing ? { source: 'metrics', code: 'InternalFailure', message: 'boom' } : null,
      });
      expect(
        await repo.recordEvidence(
          db,
          'd1',
          'error-rate',
          ev('2026-02-03T07:04:30.000Z', '2026-02-03T07:05:00.000Z', false),
        ),
      ).toBe('same');
      expect(
        await repo.recordEvidence(
          db,
          'd1',
          'error-rate',
          ev('2026-02-03T07:04:30.000Z', '2026-02-03T07:06:00.000Z', true),
        ),
      ).toBe('changed');
      expect(
        await repo.recordEvidence(
          db,
          'd1',
          'error-rate',
          ev('2026-02-03T07:04:30.000Z', '2026-02-03T07:07:00.000Z', true),
        ),
      ).toBe('same');
      expect((await repo.latestEvidence(db, 'd1')).get('error-rate')).toMatchObject({
        evaluatedAt: '2026-02-03T07:07:00.000Z',
        dataFetchedAt: '2026-02-03T07:04:30.000Z',
        sourceError: { source: 'metrics', code: 'InternalFailure', message: 'boom' },
      });
    });

    it('keeps the running count of schema errors since the migration with the deploy', async () => {
      expect(await repo.schemaErrorTally(db, 'd1')).toBeNull();
      const tally = {
        count: 3,
        since: '2026-02-03T06:31:00.000Z',
        countedTo: '2026-02-03T07:07:00.000Z',
        recent: [{ id: 'e1', t: Date.parse('2026-02-03T07:06:50.000Z') }],
      };
      await repo.saveSchemaErrorTally(db, 'd1', tally);
      expect(await repo.schemaErrorTally(db, 'd1')).toEqual(tally);
    });

    it('allows one standing sign-off per item and lead, revocable once', async () => {
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
      await repo.signOffItem(db, 'd1', 'workflows', {
        by: 'lead3@example.com',
        at: '2026-02-03T07:06:30.000Z',
        comment: 'tested too',
      });
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
      expect((await repo.signOffsByItem(db, 'd1')).get('workflows')).toMatchObject([
        {
          by: 'lead@example.com',
          revokedBy: 'lead2@example.com',
          revokeReason: 'bug',
          revokedAt: '2026-02-03T07:07:00.000Z',
        },
        { by: 'lead3@example.com', revokedBy: 'lead2@example.com' },
      ]);
    });

    it('closes a deploy in its watch as superseded by the next, on both timelines, in one transaction', async () => {
      await repo.createDeploy(db, prepared('d3'), [], (await repo.getDeploy(db, 'd1'))!);
      expect((await repo.activeDeploy(db, 'production'))?.id).toBe('d3');
      expect(await repo.getDeploy(db, 'd1')).toMatchObject({
        phase: 'done',
        ending: { kind: 'superseded', message: 'superseded by d3', fromPhase: 'monitoring' },
      });
      expect((await repo.deployTimeline(db, 'd1')).at(-1)?.message).toContain('superseded by d3');
      expect((await repo.deployTimeline(db, 'd3'))[0]?.message).toContain('supersedes d1');
      expect((await repo.listDeploys(db)).map((d) => d.id).sort()).toEqual(['d1', 'd3']);
    });

    it('tells a verdict flip once, however many evaluations store it at once', async () => {
      await repo.createDeploy(db, prepared('v1', 'verdicts'), [], null);
      const told: string[] = [];
      const store = (verdict: 'GO' | 'NO-GO') =>
        repo.recordVerdict(
          db,
          'v1',
          verdict,
          async (_tx, previous) => void told.push(`${previous}→${verdict}`),
        );
      // Not told yet is NO-GO: storing NO-GO again is no flip.
      expect(await store('NO-GO')).toBe(false);
      // Two connections, five evaluations seeing the same GO at once: one flip.
      expect((await Promise.all([1, 2, 3, 4, 5].map(() => store('GO')))).filter(Boolean)).toHaveLength(1);
      expect((await Promise.all([1, 2, 3].map(() => store('NO-GO')))).filter(Boolean)).toHaveLength(1);
      expect(await store('NO-GO')).toBe(false);
      expect(told).toEqual(['NO-GO→GO', 'GO→NO-GO']);
      // What `within` writes goes with the flip or not at all.
      await expect(
        repo.recordVerdict(db, 'v1', 'GO', async () => {
          throw new Error('the outbox refused');
        }),
      ).rejects.toThrow('the outbox refused');
      expect(await store('GO')).toBe(true);
      await repo.transitionDeploy(
        db,
        'v1',
        'preparing',
        'cancelled',
        {},
        { message: 'done', at: '2026-02-04T07:00:00.000Z' },
      );
    });

    it('calls the evidence hook only for a changed result, with the one it replaces', async () => {
      const replaced: Array<string | null> = [];
      const record = (value: string, passed: boolean) =>
        repo.recordEvidence(
          db,
          'd1',
          'health',
          { question: 'Healthy?', value, passed, evaluatedAt: '2026-02-03T07:00:00.000Z' },
          async (_tx, previous) => void replaced.push(previous?.value ?? null),
        );
      expect(await record('HTTP 200', true)).toBe('changed');
      expect(await record('HTTP 200', true)).toBe('same');
      expect(await record('HTTP 503', false)).toBe('changed');
      expect(replaced).toEqual([null, 'HTTP 200']);
    });

    it('lets a new deploy start once the active one is cancelled', async () => {
      await repo.transitionDeploy(
        db,
        'd3',
        'preparing',
        'cancelled',
        {},
        { message: 'no', at: '2026-02-04T07:01:00.000Z' },
      );
      await repo.createDeploy(db, prepared('d4'), [], null);
      expect((await repo.activeDeploy(db, 'production'))?.id).toBe('d4');
    });
  });
}

function forwardMigrationTests(name: string, start: () => Promise<StoreUnderTest>, skip = false) {
  describe.skipIf(skip)(`deploy tables migrating forward on ${name}`, () => {
    it('keeps a deploy stored before 0005_deploy_lifecycle, its evidence and sign-offs, and opens it', async () => {
      const target = await start();
      const db = new Kysely<DeployTables>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: 2 }) }),
      });
      try {
        // The rows exactly as the code before the deploy lifecycle wrote them.
        await migrateDeployTablesAsFirstStored(db);
        await sql`insert into deploys (id, environment, phase, prepared_by, prepared_at, baseline, migrated_at, pending_at_prepare, baseline_metrics)
          values ('old', 'production', 'monitoring', 'ops@example.com', '2026-02-03T06:29:34Z', ${JSON.stringify(baseline)}::jsonb,
                  '2026-02-03T06:40:00Z', '["20260115_0300"]'::jsonb, null)`.execute(db);
        await sql`insert into deploy_evidence (deploy_id, item_id, question, value, passed, evaluated_at)
          values ('old', 'snapshot', 'available?', 'available, 5 min old', true, '2026-02-03T06:35:00Z')`.execute(
          db,
        );
        await sql`insert into deploy_sign_offs (deploy_id, item_id, signed_by, signed_at, comment)
          values ('old', 'workflows', 'lead@example.com', '2026-02-03T06:50:00Z', 'tested')`.execute(db);
        await migrateDeployLifecycle(db);
        await migrateEvidenceAge(db);
        expect(await repo.getDeploy(db, 'old')).toMatchObject({
          id: 'old',
          phase: 'monitoring',
          migratedAt: '2026-02-03T06:40:00.000Z',
          // Its target was the code's head at prepare; its watch counts from the migration.
          targetRevision: '20260131_0000',
          watchStartedAt: '2026-02-03T06:40:00.000Z',
          release: null,
          ending: null,
        });
        expect(await repo.deployChecklist(db, 'old')).toBeNull();
        // Evidence stored before 0009 has no data time: its age is its evaluation's.
        expect((await repo.latestEvidence(db, 'old')).get('snapshot')).toMatchObject({
          passed: true,
          dataFetchedAt: null,
          sourceError: null,
        });
        expect(await repo.schemaErrorTally(db, 'old')).toBeNull();
        expect((await repo.signOffsByItem(db, 'old')).get('workflows')).toMatchObject([
          { by: 'lead@example.com' },
        ]);
        expect((await repo.activeDeploy(db, 'production'))?.id).toBe('old');
      } finally {
        await db.destroy();
        await target.close();
      }
    }, 60_000);
  });
}

forwardMigrationTests('PGlite', async () => {
  const sandbox: Sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
  return { url: sandbox.databaseUrl, close: () => sandbox.close() };
});

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
