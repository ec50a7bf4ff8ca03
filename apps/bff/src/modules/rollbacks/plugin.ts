// Rollbacks: preview the exact plan, start one (ops), follow its job. A job is a row first, run by
// the leader only (a follower's accepted job is picked up within a leader poll; a new leader resumes
// the old one's), every AWS change sent once with a deterministic name.
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { RollbackJob } from '@flightdeck/contracts';
import { JobRunner } from './job-runner.js';
import { JobVerifier } from './job-verifier.js';
import { rollbackOrderFor } from './rollback-order-source.js';
import type { RollbackRepository } from './rollback-jobs.js';
import { RollbackService, type DeployLookup } from './rollback-service.js';
import { rollbackRoutes } from './rollbacks-routes.js';
import { StoreRollbackRepository } from './store/store-rollback-repository.js';
import type { RollbackTables } from './store/rollback-tables.js';
import { storyDeploys } from './story-deploy.js';

declare module 'fastify' {
  interface FastifyInstance {
    rollbacks: { service: RollbackService; runner: JobRunner; verifier: JobVerifier };
  }
}

export interface RollbacksModuleOptions {
  /** Where jobs are kept: Flightdeck's store unless a test gives its own. */
  repository?: RollbackRepository;
}

export const rollbacksModule = fp<RollbacksModuleOptions>(
  async (app, options) => {
    const config = app.config;
    const { aws, mutations, now } = app.upstreams;
    const hub = app.sources;
    const repository =
      options.repository ?? new StoreRollbackRepository(app.store.db as unknown as Kysely<RollbackTables>);
    // In sandbox mode the story's deploy stands in when none was prepared here.
    const deploys: DeployLookup = app.deploys.baselines(
      await storyDeploys(config.mode === 'sandbox', config.environment),
    );
    const readers = { lambda: aws.lambda, rds: aws.rds };
    const runner = new JobRunner({
      repository,
      readers,
      mutations,
      pollMs: config.rollbacks.pollMs,
      now,
      onFinished: ({ job }) => told(job),
    });
    const metricsOf = (functionName: string) =>
      hub.collectors.metrics.state.data?.functions.find((f) => f.functionName === functionName)?.series ??
      null;
    const verifier = new JobVerifier({ repository, metricsOf, onVerified: ({ job }) => told(job) });
    /** A job moved on (verifying, restored, succeeded, failed): the deploy's record, and when it ends, a notification. */
    function told(job: RollbackJob) {
      void hub.refreshAll().catch(() => undefined);
      // The deploy's life follows its rollbacks: each state is on its timeline; a success ends it.
      void Promise.resolve()
        .then(() => app.deploys.rollbackFinished(job))
        .catch((error: unknown) => app.log.warn({ err: error }, 'deploy not told of its rollback'));
      if (job.state === 'verifying') return;
      void app.notifications.emit({
        type: 'rollback.finished',
        deployId: job.deployId,
        summary: `Rollback of ${job.target} ${job.state}${job.error ? `: ${job.error}` : ''}`,
        path: `/rollbacks/${job.id}`,
        data: {
          job: job.id,
          kind: job.kind,
          target: job.target,
          state: job.state,
          desired: job.plan.desired,
          verification: job.verification,
        },
      });
    }
    const versionsDir = config.alembic.versionsDir!;
    const service = new RollbackService({
      deploys,
      repository,
      readers,
      order: (baseline) =>
        rollbackOrderFor(
          versionsDir,
          baseline.databaseRevision,
          hub.collectors.alembic.state.data?.current[0] ?? null,
        ),
      start: (stored) => {
        const { job } = stored;
        void app.notifications.emit({
          type: 'rollback.started',
          deployId: job.deployId,
          summary: `Rollback of ${job.target} started by ${job.requestedBy}: ${job.plan.current} → ${job.plan.desired}`,
          path: `/rollbacks/${job.id}`,
          data: {
            job: job.id,
            kind: job.kind,
            target: job.target,
            current: job.plan.current,
            desired: job.plan.desired,
          },
        });
        void Promise.resolve()
          .then(() => app.deploys.rollbackStarted(job))
          .catch((error: unknown) => app.log.warn({ err: error }, 'deploy not told of its rollback'));
        // A follower only accepts: the leader runs every job.
        if (app.leadership.leading) runner.start(stored);
      },
      onRefused: (request, who, error, idempotencyKey) =>
        void Promise.resolve()
          .then(() =>
            app.deploys.rollbackRefused({
              deployId: request.deployId,
              kind: request.kind,
              target: request.target,
              by: who.user,
              code: error.code,
              message: error.message,
              requestKey: idempotencyKey,
            }),
          )
          .catch((e: unknown) => app.log.warn({ err: e }, 'deploy not told of the refused rollback')),
      onCutOver: ({ job }) => {
        // Cut over: the restore is what production runs on now, and the deploy is rolled back.
        void Promise.resolve()
          .then(() => app.deploys.rollbackFinished(job))
          .catch((error: unknown) => app.log.warn({ err: error }, 'deploy not told of its rollback'));
        void app.notifications.emit({
          type: 'rollback.finished',
          deployId: job.deployId,
          summary: `Restore of ${job.target} succeeded: the cut-over to the restored instance is done`,
          path: `/rollbacks/${job.id}`,
          data: {
            job: job.id,
            kind: job.kind,
            target: job.target,
            state: job.state,
            desired: job.plan.desired,
          },
        });
      },
      aliasOf: (functionName) =>
        hub.collectors.lambda.state.data?.functions.find((f) => f.functionName === functionName) ?? null,
      metricsOf,
      ...(config.rollbacks.frontend ? { frontend: config.rollbacks.frontend } : {}),
    });
    app.decorate('rollbacks', { service, runner, verifier });

    // No per-job claim yet: a demoted leader that is still alive finishes the step it is in (sends
    // stay safe: restores have deterministic names, alias updates are guarded by RevisionId).
    let jobsTimer: NodeJS.Timeout | null = null;
    let verifyTimer: NodeJS.Timeout | null = null;
    let verifyOnMetrics: (() => void) | null = null;
    app.leadership.duty({
      name: 'the rollback jobs',
      start: async () => {
        await runner.resumeUnfinished();
        // Verifying jobs are judged as the minutes come in: on each metrics refresh, and on the poll.
        const verify = () =>
          void verifier
            .verifyAll()
            .catch((error: unknown) => app.log.warn({ err: error }, 'rollback verification failed'));
        verifyOnMetrics = hub.subscribe((source) => {
          if (source === 'metrics') verify();
        });
        verifyTimer = setInterval(verify, config.rollbacks.pollMs);
        verifyTimer.unref();
        verify();
        // Only followers accept jobs they don't run; on the embedded store there are none to wait for.
        if (!app.store.url) return;
        jobsTimer = setInterval(
          () => void runner.resumeUnfinished().catch(() => undefined),
          config.store.leaderPollMs,
        );
        jobsTimer.unref();
      },
      stop: async () => {
        if (jobsTimer) clearInterval(jobsTimer);
        jobsTimer = null;
        if (verifyTimer) clearInterval(verifyTimer);
        verifyTimer = null;
        verifyOnMetrics?.();
        verifyOnMetrics = null;
        await verifier.verifyAll().catch(() => undefined);
      },
    });
    app.addHook('onClose', async () => runner.stop());

    app.access.declare({
      // Rollbacks change production: ops only, preview too (it reads AWS on demand). Following a
      // job is read-only and everyone on call should see it.
      'POST /api/v1/rollbacks/preview': 'ops',
      'POST /api/v1/rollbacks': 'ops',
      'GET /api/v1/rollbacks': 'viewer',
      'GET /api/v1/rollbacks/:id': 'viewer',
      'POST /api/v1/rollbacks/:id/cut-over': 'ops',
    });
    await app.register(rollbackRoutes, { rollbacks: service, now });
  },
  {
    name: 'flightdeck-rollbacks',
    dependencies: [
      'flightdeck-platform',
      'flightdeck-overview',
      'flightdeck-deploys',
      'flightdeck-notifications',
    ],
  },
);
