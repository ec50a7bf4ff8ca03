// Builds the rollback service and its job runner from the configuration and clients.
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RollbackBaseline } from '@flightdeck/contracts';
import type { SourceHub } from '../overview/source-hub.js';
import type { FlightdeckConfig } from '../../config.js';
import type { AwsClients, StaticCredentials } from '../../platform/upstreams/aws-clients.js';
import { JobRunner } from './job-runner.js';
import { createMutationClients } from '../../platform/upstreams/mutation-clients.js';
import { rollbackOrderFor } from './rollback-order-source.js';
import { MemoryRollbackRepository, type RollbackRepository } from './rollback-jobs.js';
import { RollbackService, type DeployLookup } from './rollback-service.js';

/** Deploys known without the store: in sandbox mode, the story's deploy. */
export function staticDeploys(
  deploys: Array<{ id: string; environment: string; baseline: RollbackBaseline }>,
): DeployLookup {
  return {
    get: async (id) => deploys.find((d) => d.id === id) ?? null,
    current: async () => deploys.at(-1) ?? null,
  };
}

export interface RollbacksSetup {
  service: RollbackService;
  runner: JobRunner;
  repository: RollbackRepository;
  /** Registers start (resume unfinished jobs, unless the caller resumes them itself) and stop on the app. */
  attach(app: FastifyInstance, options?: { resumeOnReady?: boolean }): void;
}

export function setUpRollbacks(
  config: FlightdeckConfig,
  aws: AwsClients,
  credentials: StaticCredentials | undefined,
  hub: SourceHub,
  deploys: DeployLookup,
  repository: RollbackRepository = new MemoryRollbackRepository(),
  upstreamNow: () => Date = () => new Date(),
  /** False on a follower replica: the leader runs every job (it picks new ones up within a poll). */
  runsJobsHere: () => boolean = () => true,
): RollbacksSetup {
  const mutations = createMutationClients(config.aws, credentials);
  const readers = { lambda: aws.lambda, rds: aws.rds };
  const runner = new JobRunner({
    repository,
    readers,
    mutations,
    pollMs: config.rollbacks.pollMs,
    now: upstreamNow,
    onFinished: () => void hub.refreshAll().catch(() => undefined),
  });
  const versionsDir = resolve(config.baseDir, config.alembic.versionsDir!);
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
      if (runsJobsHere()) runner.start(stored);
    },
    metricsOf: (functionName) =>
      hub.collectors.metrics.state.data?.functions.find((f) => f.functionName === functionName)?.series ??
      null,
    ...(config.rollbacks.frontend ? { frontend: config.rollbacks.frontend } : {}),
  });
  return {
    service,
    runner,
    repository,
    attach(app, { resumeOnReady = true } = {}) {
      if (resumeOnReady) app.addHook('onReady', async () => runner.resumeUnfinished());
      app.addHook('onClose', async () => {
        await runner.stop();
        mutations.destroy();
      });
    },
  };
}
