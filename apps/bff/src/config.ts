import { resolve } from 'node:path';
import Type, { type Static } from 'typebox';
import { notificationEventTypes, strict, type RoleName } from '@flightdeck/contracts';
import { checklistConfigProblems } from '@flightdeck/core';
import { deploysSection } from './modules/deploys/config.js';
import { locksSection } from './modules/locks/config.js';
import { logsSection } from './modules/logs/config.js';
import { metricsSection } from './modules/metrics/config.js';
import { notificationsSection } from './modules/notifications/config.js';
import { lintSection } from './modules/migrations/config.js';
import { overviewSection } from './modules/overview/config.js';
import { rollbacksSection } from './modules/rollbacks/config.js';
import { sandboxSection } from './modules/sandbox/config.js';
import { authSection } from './platform/auth/config.js';
import {
  ConfigError,
  readRawConfig,
  validateConfig,
  type EnvOverride,
} from './platform/config/load-config.js';
import { serverSection } from './platform/http/config.js';
import { storeSection } from './platform/store/config.js';
import {
  alembicSection,
  awsSection,
  databaseSection,
  functionsSection,
  intervalsSection,
  rdsSection,
  redactionSection,
} from './platform/upstreams/config.js';

export { ConfigError };

/**
 * The story's names, played by the sandbox: its defaults only. In aws mode nothing defaults to
 * them, so a half-written config can't silently read another company's resources.
 */
const sandboxDefaults = {
  functions: [
    { name: 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx', label: 'Backend API', alias: 'prod' },
    { name: 'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot', label: 'Worker', alias: 'prod' },
  ],
  dbInstanceIdentifier: 'prod-credmate-db',
  // The story's application logs a licence portal PIN; a real install names its own such fields.
  secretKeys: ['portal_pin'],
};

export const ConfigSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('sandbox'), Type.Literal('aws')], {
      default: 'sandbox',
      description:
        'sandbox: start the local AWS and demo database in-process; aws: talk to the configured AWS',
    }),
    environment: Type.String({
      default: 'production',
      // It starts every deploy's id, which must stay a valid id in a URL (Identifier in contracts).
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      maxLength: 80,
      description: 'Name of the environment Flightdeck watches: letters, digits, . _ -',
    }),
    server: serverSection,
    sandbox: sandboxSection,
    aws: awsSection,
    database: databaseSection,
    alembic: alembicSection,
    lint: lintSection,
    rds: rdsSection,
    functions: functionsSection,
    redaction: redactionSection,
    overview: overviewSection,
    logs: logsSection,
    metrics: metricsSection,
    auth: authSection,
    store: storeSection,
    deploys: deploysSection,
    locks: locksSection,
    intervals: intervalsSection,
    rollbacks: rollbacksSection,
    notifications: notificationsSection,
  },
  strict,
);

type RawConfig = Static<typeof ConfigSchema>;
export type AuthMode = NonNullable<RawConfig['auth']['mode']>;
export type Role = RoleName;
type RawWebhook = RawConfig['notifications']['webhooks'][number];

export type FlightdeckConfig = Omit<
  RawConfig,
  'auth' | 'functions' | 'rds' | 'redaction' | 'notifications'
> & {
  auth: RawConfig['auth'] & { mode: AuthMode };
  /** Each with its label resolved (the function's name when the config gives none). */
  functions: Array<{ name: string; label: string; alias: string }>;
  rds: { dbInstanceIdentifier: string };
  redaction: { secretKeys: string[] };
  /** Each webhook with its signing secret read from `secretEnv` at load (null without one). */
  notifications: Omit<RawConfig['notifications'], 'webhooks'> & {
    webhooks: Array<RawWebhook & { secret: string | null }>;
  };
  /** Resolved at load time: the folder relative paths in the file were relative to. */
  baseDir: string;
};
export type FunctionTarget = FlightdeckConfig['functions'][number];

/** Environment variables that override the file, each mapped to one config path. */
const envOverrides: EnvOverride[] = [
  ['FLIGHTDECK_MODE', ['mode'], String],
  ['FLIGHTDECK_ENVIRONMENT', ['environment'], String],
  ['FLIGHTDECK_HOST', ['server', 'host'], String],
  ['FLIGHTDECK_PORT', ['server', 'port'], Number],
  ['PORT', ['server', 'port'], Number],
  ['FLIGHTDECK_LOG_LEVEL', ['server', 'logLevel'], String],
  ['FLIGHTDECK_SANDBOX_AWS_PORT', ['sandbox', 'awsPort'], Number],
  ['FLIGHTDECK_SANDBOX_DB_PORT', ['sandbox', 'dbPort'], Number],
  ['AWS_REGION', ['aws', 'region'], String],
  ['AWS_ENDPOINT_URL', ['aws', 'endpoint'], String],
  ['AWS_PROFILE', ['aws', 'profile'], String],
  ['DATABASE_URL', ['database', 'url'], String],
  ['FLIGHTDECK_VERSIONS_DIR', ['alembic', 'versionsDir'], String],
  ['FLIGHTDECK_AUTH_MODE', ['auth', 'mode'], String],
  ['FLIGHTDECK_SECRET', ['auth', 'secret'], String],
  ['FLIGHTDECK_STORE_URL', ['store', 'url'], String],
  ['FLIGHTDECK_STORE_DIR', ['store', 'dataDir'], String],
  ['FLIGHTDECK_REPLICA_ID', ['store', 'replicaId'], String],
];

/** Validate raw config (file contents merged with env), filling defaults; throws ConfigError naming the key. */
export function parseConfig(raw: unknown, baseDir = process.cwd(), env = process.env): FlightdeckConfig {
  const config = validateConfig<RawConfig>(ConfigSchema, raw);
  const mistakes = config.mode === 'aws' ? awsModeMistakes(config) : [];
  config.auth.mode ??= config.mode === 'sandbox' ? 'sandbox' : undefined;
  if (config.auth.mode === 'sandbox' && config.mode !== 'sandbox')
    mistakes.push('auth.mode sandbox (the demo user picker) is refused when the sandbox is off');
  if (config.auth.mode === 'alb') {
    for (const key of ['signerArn', 'issuer', 'clientId'] as const)
      if (!config.auth.alb[key]) mistakes.push(`auth.alb.${key} is required when auth.mode is alb`);
    const arn = config.auth.alb.signerArn;
    if (arn && !/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\//.test(arn))
      mistakes.push(
        `auth.alb.signerArn "${arn}" is not an Application Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)`,
      );
  }
  if (config.database.via === 'lambda' && !config.database.sqlFunction)
    mistakes.push('database.sqlFunction is required when database.via is lambda');
  const measureIds = config.metrics.measures.map((m) => m.id);
  const reusedId = measureIds.find((id, i) => measureIds.indexOf(id) !== i);
  if (reusedId) mistakes.push(`metrics.measures: id "${reusedId}" is used twice`);
  if (config.deploys.checklist !== undefined)
    mistakes.push(...checklistConfigProblems(config.deploys.checklist, 'deploys.checklist'));
  mistakes.push(...webhookMistakes(config.notifications.webhooks, env));
  if (mistakes.length > 0)
    throw new ConfigError(`Invalid Flightdeck config:\n  - ${mistakes.join('\n  - ')}`);

  const sandbox = config.mode === 'sandbox';
  const auth = { ...config.auth, mode: config.auth.mode! };
  return {
    ...config,
    auth,
    functions: (config.functions ?? sandboxDefaults.functions).map((f) => ({
      name: f.name,
      label: f.label ?? f.name,
      alias: f.alias,
    })),
    rds: { dbInstanceIdentifier: config.rds.dbInstanceIdentifier ?? sandboxDefaults.dbInstanceIdentifier },
    redaction: { secretKeys: config.redaction.secretKeys ?? (sandbox ? sandboxDefaults.secretKeys : []) },
    // Paths resolved once, here: relative ones were relative to the config file's folder.
    alembic: {
      ...config.alembic,
      ...(config.alembic.versionsDir ? { versionsDir: resolve(baseDir, config.alembic.versionsDir) } : {}),
    },
    store: {
      ...config.store,
      dataDir: config.store.dataDir === 'memory://' ? 'memory://' : resolve(baseDir, config.store.dataDir),
    },
    notifications: {
      ...config.notifications,
      webhooks: config.notifications.webhooks.map((w) => ({
        ...w,
        secret: w.secretEnv ? (env[w.secretEnv] ?? null) : null,
      })),
    },
    baseDir,
  };
}

/** Webhook names are unique, events are known types or families, a named secret is set. */
function webhookMistakes(webhooks: RawWebhook[], env: NodeJS.ProcessEnv): string[] {
  const mistakes: string[] = [];
  const known = new Set<string>(notificationEventTypes);
  const families = new Set(notificationEventTypes.map((t) => `${t.split('.')[0]}.*`));
  webhooks.forEach((w, i) => {
    const key = `notifications.webhooks.${i}`;
    if (webhooks.findIndex((o) => o.name === w.name) !== i)
      mistakes.push(`${key}.name: "${w.name}" is used twice`);
    for (const event of w.events)
      if (event !== '*' && !known.has(event) && !families.has(event))
        mistakes.push(
          `${key}.events: "${event}" is not an event; use "*", one of ${[...families].join(', ')}, or one of ${notificationEventTypes.join(', ')}`,
        );
    if (w.secretEnv && !env[w.secretEnv])
      mistakes.push(`${key}.secretEnv names ${w.secretEnv}, which is not set in the environment`);
  });
  return mistakes;
}

/** In aws mode every target is named by the config: none falls back to the sandbox's story. */
function awsModeMistakes(config: RawConfig): string[] {
  const mistakes: string[] = [];
  if (!config.functions)
    mistakes.push('functions is required in aws mode: the Lambda functions to watch, [{ "name", "alias" }]');
  if (!config.rds.dbInstanceIdentifier)
    mistakes.push('rds.dbInstanceIdentifier is required in aws mode: the RDS instance to watch');
  if (!config.alembic.versionsDir)
    mistakes.push(
      'alembic.versionsDir is required in aws mode (or FLIGHTDECK_VERSIONS_DIR): the Alembic versions/ folder of the code to deploy',
    );
  if (config.database.via === 'direct' && !config.database.url)
    mistakes.push('database.url (or DATABASE_URL) is required when database.via is direct');
  if (!config.auth.mode) mistakes.push('auth.mode (proxy or alb) is required in aws mode');
  return mistakes;
}

/**
 * The one place that reads process.env and files: FLIGHTDECK_CONFIG (or --config) names a JSON file,
 * environment variables override single keys.
 */
export function loadConfig(argv = process.argv.slice(2), env = process.env): FlightdeckConfig {
  const { raw, baseDir } = readRawConfig(argv, env, envOverrides);
  return parseConfig(raw, baseDir, env);
}

/**
 * The directory the person ran the CLI from. `pnpm flightdeck …` runs the script inside
 * apps/bff, so relative paths are resolved against where pnpm was invoked (INIT_CWD) —
 * but only when pnpm is what started us, never a stale INIT_CWD inherited from elsewhere.
 */
export function cliWorkingDir(env = process.env, cwd = process.cwd()): string {
  // pnpm runs scripts from the package folder and keeps the caller's folder in INIT_CWD.
  const viaScript = env.npm_lifecycle_event === 'cli' || env.npm_lifecycle_event === 'flightdeck';
  return viaScript && env.INIT_CWD ? env.INIT_CWD : cwd;
}

/** Where `flightdeck deploy …` finds a running Flightdeck when --url and --token are not given. */
export function pipelineEnv(env = process.env): { FLIGHTDECK_URL?: string; FLIGHTDECK_TOKEN?: string } {
  return { FLIGHTDECK_URL: env.FLIGHTDECK_URL, FLIGHTDECK_TOKEN: env.FLIGHTDECK_TOKEN };
}

/**
 * The lint settings for the CLI: from the config file named by --config or FLIGHTDECK_CONFIG
 * when there is one, the defaults otherwise.
 */
export function lintSettings(configFile: string | undefined, env = process.env): FlightdeckConfig['lint'] {
  if (!configFile && !env.FLIGHTDECK_CONFIG) return parseConfig({}).lint;
  return loadConfig(configFile ? ['--config', configFile] : [], env).lint;
}
