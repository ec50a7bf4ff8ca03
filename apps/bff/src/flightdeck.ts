import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Sandbox } from '@flightdeck/sandbox';
import { setUpRollbacks, staticDeploys } from './actions/rollbacks-setup.js';
import { StoreRollbackRepository } from './actions/store-rollback-repository.js';
import { storedDeploys } from './actions/deploy-lookup.js';
import { openStore, type Store } from './store/store.js';
import {
  defaultReplicaId,
  ServerLeaderElection,
  SoleLeadership,
  type Leadership,
} from './store/leader-election.js';
import { LiveDemands } from './store/live-demands.js';
import { PublishedStates } from './store/published-states.js';
import { runWhileLeading, type LeaderDuty } from './collect/leader-duties.js';
import { StateReplication } from './collect/state-replication.js';
import { TimelineDeployMarkers } from './collect/deploy-markers.js';
import type { LiveSharing } from './collect/shared-live-data.js';
import type { FastifyInstance } from 'fastify';
import type { AccountCheck, MigrationHistoryData } from '@flightdeck/contracts';
import { defaultChecklistTemplate, initSqlParser, secretRedactor } from '@flightdeck/core';
import { Collector } from './collect/collector.js';
import { DeployEvaluator } from './deploys/deploy-evaluator.js';
import { DeployService } from './deploys/deploy-service.js';
import { readHealth } from './deploys/health-check.js';
import { rdsSnapshotTaker } from './deploys/pre-migration-snapshot.js';
import { createLiveData } from './collect/live-data.js';
import { StoreMarkerLog, leaderWrites } from './collect/store-marker-log.js';
import { SourceHub } from './collect/source-hub.js';
import type { FlightdeckConfig } from './config.js';
import type { ScenarioControl } from './routes/sandbox-scenario.js';
import { buildServer } from './server.js';
import { AccountIdentitySource } from './sources/account-identity-source.js';
import { AlembicSource } from './sources/alembic-source.js';
import { createAwsClients, type AwsClients } from './sources/aws-clients.js';
import { LambdaAliasSource } from './sources/lambda-source.js';
import { filterLogEventsReader } from './sources/log-events-reader.js';
import { LogErrorsSource } from './sources/log-errors-source.js';
import { MigrationsSource } from './sources/migrations-source.js';
import { LambdaMetricsSource } from './sources/metrics-source.js';
import { RdsSource } from './sources/rds-source.js';
import { SandboxTimelineSource } from './sources/sandbox-timeline-source.js';
import {
  DirectTargetDatabase,
  LambdaTargetDatabase,
  type TargetDatabase,
} from './sources/revision-readers.js';

export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** In sandbox mode, the story's deploy (2026-02-03) that rollbacks target. */
export const storyDeployId = 'story-2026-02-03';

export interface RunningFlightdeck {
  url: string;
  app: FastifyInstance;
  /** Deploys and their checklist evaluator. */
  deploys: { service: DeployService; evaluator: DeployEvaluator };
  store: Store;
  /** Which replica leads the collectors (on the embedded store: this one). */
  leadership: Leadership;
  config: FlightdeckConfig;
  sandbox: Sandbox | null;
  close(): Promise<void>;
}

/** In sandbox mode the local AWS and demo database stand in for the real ones, reached the same way. */
async function resolveUpstreams(
  config: FlightdeckConfig,
  running?: Sandbox,
): Promise<{
  config: FlightdeckConfig;
  sandbox: Sandbox | null;
  scenario?: ScenarioControl;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}> {
  if (config.mode !== 'sandbox') return { config, sandbox: null };
  const { startSandboxUpstreams } = await import('./sandbox-mode.js');
  return startSandboxUpstreams(config, running);
}

function createTargetDatabase(config: FlightdeckConfig, aws: AwsClients): TargetDatabase {
  if (config.database.via === 'lambda')
    return new LambdaTargetDatabase(aws.lambda, config.database.sqlFunction!);
  return new DirectTargetDatabase(config.database.url!);
}

export function createSourceHub(
  config: FlightdeckConfig,
  aws: AwsClients,
  database: TargetDatabase,
  /** The upstream's clock: metric and log windows end at its "now" (scenario time in the sandbox). */
  upstreamNow: () => Date = () => new Date(),
): SourceHub {
  const functions = config.functions.map((f) => ({ name: f.name, label: f.label ?? f.name, alias: f.alias }));
  const versionsDir = resolve(config.baseDir, config.alembic.versionsDir!);
  return new SourceHub(
    {
      alembic: new AlembicSource(database, versionsDir),
      rds: new RdsSource(aws.rds, config.rds.dbInstanceIdentifier),
      metrics: new LambdaMetricsSource(aws.cloudwatch, functions, config.metrics.windowMinutes, upstreamNow),
      logs: new LogErrorsSource(
        filterLogEventsReader(aws.logs, secretRedactor(config.redaction.secretKeys)),
        functions.map((f) => f.name),
        config.logs.errorPattern,
        config.logs.windowMinutes,
        upstreamNow,
      ),
      lambda: new LambdaAliasSource(aws.lambda, functions),
    },
    {
      alembic: config.intervals.alembicMs,
      rds: config.intervals.rdsMs,
      metrics: config.intervals.metricsMs,
      logs: config.intervals.logsMs,
      lambda: config.intervals.lambdaMs,
    },
  );
}

/** The Migration History: its own collector, polled more slowly than alembic_version (it reads the catalog too). */
export function createMigrationsCollector(
  config: FlightdeckConfig,
  database: TargetDatabase,
): Collector<MigrationHistoryData> {
  const versionsDir = resolve(config.baseDir, config.alembic.versionsDir!);
  return new Collector(
    'migrations',
    new MigrationsSource(database, versionsDir, undefined, config.lint),
    config.intervals.migrationsMs,
  );
}

/** Everything `pnpm start` runs, also used by tests with port 0: upstreams, collectors, server, listen. */
export async function startFlightdeck(
  baseConfig: FlightdeckConfig,
  options: {
    webDir?: string;
    logger?: boolean;
    /** A sandbox already running (a BFF restarted mid-scenario); it outlives this BFF. */
    sandbox?: Sandbox;
  } = {},
): Promise<RunningFlightdeck> {
  // The migration analyzer needs the PostgreSQL parser (WASM) loaded once, before any analysis.
  await initSqlParser();
  // The store first: if it cannot be used, nothing else is started.
  const store = await openStore({
    ...(baseConfig.store.url ? { url: baseConfig.store.url } : {}),
    dataDir:
      baseConfig.store.dataDir === 'memory://'
        ? 'memory://'
        : resolve(baseConfig.baseDir, baseConfig.store.dataDir),
  });
  try {
    return await startOnStore(baseConfig, options, store);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}

async function startOnStore(
  baseConfig: FlightdeckConfig,
  options: { webDir?: string; logger?: boolean; sandbox?: Sandbox },
  store: Store,
): Promise<RunningFlightdeck> {
  const { config, sandbox, scenario, credentials } = await resolveUpstreams(baseConfig, options.sandbox);
  const aws = createAwsClients(config.aws, credentials);
  const database = createTargetDatabase(config, aws);
  // The sandbox's data runs on its scenario clock, ahead of ours once advanced: windows follow it.
  const upstreamNow = sandbox ? () => new Date(sandbox.scenario.now()) : () => new Date();
  const hub = createSourceHub(config, aws, database, upstreamNow);
  // The app's logger exists once the server is built; election and replication log through it.
  let app: FastifyInstance | null = null;
  const log = {
    info: (message: string) => app?.log.info(message),
    warn: (message: string) => app?.log.warn(message),
  };
  const replicaId = config.store.replicaId ?? defaultReplicaId();
  const leadership: Leadership = store.url
    ? new ServerLeaderElection(store.url, replicaId, config.store.leaderPollMs, log)
    : new SoleLeadership(replicaId);
  // Published states, shared windows and tails exist only where there can be other replicas.
  const states = store.url ? new PublishedStates(store.db, leadership) : null;
  const sharing: LiveSharing | undefined = states
    ? { leadership, states, demands: new LiveDemands(store.db), log }
    : undefined;
  const live = createLiveData(
    config,
    aws,
    hub,
    sandbox
      ? {
          source: new SandboxTimelineSource(`${sandbox.awsEndpoint}/_sandbox/timeline`),
          intervalMs: config.intervals.lambdaMs,
        }
      : undefined,
    upstreamNow,
    leaderWrites(new StoreMarkerLog(store.db), () => leadership.leading),
    sharing,
  );
  const migrations = createMigrationsCollector(config, database);
  // A follower never calls the upstream, even when a page asks for a refresh: it waits for the leader.
  for (const collector of [...Object.values(hub.collectors), migrations])
    collector.fetchOnlyWhen(() => leadership.leading);
  const snapshots = rdsSnapshotTaker(config.aws, credentials);
  const deployService = new DeployService({
    db: store.db,
    environment: config.environment,
    settings: {
      ...config.deploys,
      healthUrl: config.deploys.healthUrl ?? (sandbox ? `${sandbox.awsEndpoint}/_sandbox/health` : null),
    },
    template: defaultChecklistTemplate,
    dbInstance: config.rds.dbInstanceIdentifier,
    region: config.aws.region,
    sources: () => hub.snapshot(),
    history: () => migrations.state.data ?? null,
    snapshots,
    readHealth: (url) => readHealth(url),
    now: () => upstreamNow().toISOString(),
  });
  const rollbacks = setUpRollbacks(
    config,
    aws,
    credentials,
    hub,
    storedDeploys(
      store.db,
      config.environment,
      staticDeploys(
        sandbox
          ? [
              {
                id: storyDeployId,
                environment: config.environment,
                baseline: (await import('./sandbox-mode.js')).storyBaseline(),
              },
            ]
          : [],
      ),
    ),
    new StoreRollbackRepository(store.db),
    upstreamNow,
    () => leadership.leading,
  );
  app = await buildServer(config, {
    rollbacks: rollbacks.service,
    hub,
    live,
    webDir: options.webDir ?? config.server.webDir ?? defaultWebDir,
    logger: options.logger,
    ...(scenario ? { scenario } : {}),
    migrations,
    account: new AccountIdentitySource(aws.sts),
    deploys: deployService,
    store,
    leadership,
    // Polling starts when this replica leads (below), not on ready.
    autoStart: false,
  });
  const server = app;
  const evaluator = new DeployEvaluator(deployService, config.deploys.evaluateMs, app.log);
  rollbacks.attach(app, { resumeOnReady: false });
  let accountTimer: NodeJS.Timeout | null = null;
  let jobsTimer: NodeJS.Timeout | null = null;
  const timeline = live.deployMarkers instanceof TimelineDeployMarkers;
  const duties: LeaderDuty[] = [
    { name: 'the overview collectors', start: () => hub.start(), stop: () => hub.stop() },
    { name: 'the migrations collector', start: () => migrations.start(), stop: () => migrations.stop() },
    {
      name: 'the account check',
      start: async () => {
        await server.accountCheck.check();
        accountTimer = setInterval(() => void server.accountCheck.check(), config.intervals.accountMs);
        accountTimer.unref();
      },
      stop: () => {
        if (accountTimer) clearInterval(accountTimer);
        accountTimer = null;
      },
    },
    // Observed markers are derived from the sources every replica has; a timeline is polled.
    ...(timeline
      ? [
          {
            name: 'the deploy timeline',
            start: () => live.deployMarkers.start(),
            stop: () => live.deployMarkers.stop(),
          },
        ]
      : []),
    { name: 'the deploy evaluator', start: () => evaluator.start(), stop: () => evaluator.stop() },
    // Every job runs on the leader: ones accepted by a follower are picked up within a poll, and a
    // new leader resumes what the old one left. No per-job claim yet: a demoted leader that is still
    // alive finishes the step it is in (sends stay safe: restores have deterministic names, alias
    // updates are idempotent).
    {
      name: 'the rollback jobs',
      start: async () => {
        await rollbacks.runner.resumeUnfinished();
        // Only followers accept jobs they don't run; on the embedded store there are none to wait for.
        if (!store.url) return;
        jobsTimer = setInterval(
          () => void rollbacks.runner.resumeUnfinished().catch(() => undefined),
          config.store.leaderPollMs,
        );
        jobsTimer.unref();
      },
      stop: () => {
        if (jobsTimer) clearInterval(jobsTimer);
        jobsTimer = null;
      },
    },
    {
      name: 'other replicas’ windows and tails',
      start: () => live.demandServer?.start(),
      stop: () => live.demandServer?.stop(),
    },
  ];
  runWhileLeading(leadership, duties, log);
  const replication =
    states && store.url
      ? new StateReplication(states, leadership, store.url, config.store.leaderPollMs * 5, log)
      : null;
  if (replication) {
    for (const collector of [...Object.values(hub.collectors), migrations]) replication.add(collector);
    replication.add({
      name: 'account',
      adopt: (state: AccountCheck) => server.accountCheck.adopt(state),
      onChange: (listener) => server.accountCheck.onChange(listener),
    });
  }
  app.addHook('onReady', async () => {
    if (!timeline) live.deployMarkers.start();
    await replication?.start();
    await leadership.start();
  });
  app.addHook('onClose', async () => {
    await leadership.stop();
    await replication?.stop();
    for (const duty of [...duties].reverse()) await duty.stop();
    snapshots.close();
  });
  app.addHook('onClose', async () => {
    await database.close();
    aws.destroy();
  });
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  const url = address.replace('127.0.0.1', 'localhost');
  return {
    url,
    app,
    deploys: { service: deployService, evaluator },
    store,
    leadership,
    config,
    sandbox,
    async close() {
      await app.close();
      await store.close();
      if (!options.sandbox) await sandbox?.close();
    },
  };
}
