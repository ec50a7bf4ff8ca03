import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Sandbox } from '@flightdeck/sandbox';
import { setUpRollbacks, staticDeploys } from './actions/rollbacks-setup.js';
import { StoreRollbackRepository } from './actions/store-rollback-repository.js';
import { storedDeploys } from './actions/deploy-lookup.js';
import { openStore, type Store } from './store/store.js';
import type { FastifyInstance } from 'fastify';
import type { MigrationHistoryData } from '@flightdeck/contracts';
import { defaultChecklistTemplate, initSqlParser, secretRedactor } from '@flightdeck/core';
import { Collector } from './collect/collector.js';
import { DeployEvaluator } from './deploys/deploy-evaluator.js';
import { DeployService } from './deploys/deploy-service.js';
import { readHealth } from './deploys/health-check.js';
import { rdsSnapshotTaker } from './deploys/pre-migration-snapshot.js';
import { createLiveData } from './collect/live-data.js';
import { StoreMarkerLog } from './collect/store-marker-log.js';
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
    new MigrationsSource(database, versionsDir),
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
    new StoreMarkerLog(store.db),
  );
  const migrations = createMigrationsCollector(config, database);
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
  );
  const app = await buildServer(config, {
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
  });
  const evaluator = new DeployEvaluator(deployService, config.deploys.evaluateMs, app.log);
  rollbacks.attach(app);
  app.addHook('onReady', async () => migrations.start());
  app.addHook('onReady', async () => evaluator.start());
  app.addHook('onClose', async () => {
    await evaluator.stop();
    snapshots.close();
  });
  app.addHook('onClose', async () => migrations.stop());
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
    config,
    sandbox,
    async close() {
      await app.close();
      await store.close();
      if (!options.sandbox) await sandbox?.close();
    },
  };
}
