import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { defaultLambdaMeasures } from '@flightdeck/core';

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

const strict = { additionalProperties: false } as const;

const FunctionConfig = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    label: Type.Optional(Type.String()),
    alias: Type.String({ default: 'prod' }),
  },
  strict,
);

export const ConfigSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('sandbox'), Type.Literal('aws')], {
      default: 'sandbox',
      description:
        'sandbox: start the local AWS and demo database in-process; aws: talk to the configured AWS',
    }),
    environment: Type.String({ default: 'production' }),
    server: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
        webDir: Type.Optional(Type.String({ description: 'Built SPA to serve (default apps/web/dist)' })),
        logLevel: Type.String({ default: 'info' }),
      },
      strict,
    ),
    sandbox: Type.Object(
      {
        awsPort: Type.Integer({ minimum: 0, maximum: 65535, default: 4566 }),
        dbPort: Type.Integer({ minimum: 0, maximum: 65535, default: 54329 }),
      },
      strict,
    ),
    aws: Type.Object(
      {
        region: Type.String({ default: 'us-east-1' }),
        endpoint: Type.Optional(
          Type.String({ description: 'Override for every AWS client (AWS_ENDPOINT_URL)' }),
        ),
        profile: Type.Optional(Type.String()),
        expectedAccountId: Type.Optional(
          Type.String({
            pattern: '^[0-9]{12}$',
            description:
              'The 12-digit AWS account Flightdeck must be looking at; any other stops collectors and changes',
          }),
        ),
      },
      strict,
    ),
    database: Type.Object(
      {
        url: Type.Optional(Type.String({ description: 'postgres:// URL of the target database' })),
        via: Type.Union([Type.Literal('direct'), Type.Literal('lambda')], { default: 'direct' }),
        sqlFunction: Type.Optional(
          Type.String({
            description: 'Read-only SQL Lambda used when the database is not reachable (via: lambda)',
          }),
        ),
      },
      strict,
    ),
    alembic: Type.Object(
      {
        versionsDir: Type.Optional(
          Type.String({ description: 'The Alembic versions/ folder of the code to deploy' }),
        ),
      },
      strict,
    ),
    // Migration lint: how findings are weighed by the live tables' sizes (pg_class).
    lint: Type.Object(
      {
        rewriteMBPerSecond: Type.Number({
          exclusiveMinimum: 0,
          default: 100,
          description: 'How fast the database rewrites or reads a table, to estimate time under a lock',
        }),
        largeTableRows: Type.Integer({
          minimum: 1,
          default: 1_000_000,
          description: 'A table with this many rows is large: long work under its lock is an error',
        }),
        largeTableBytes: Type.Integer({
          minimum: 1,
          default: 1024 ** 3,
          description: 'Or this many bytes (pg_total_relation_size)',
        }),
      },
      strict,
    ),
    rds: Type.Object(
      {
        dbInstanceIdentifier: Type.Optional(
          Type.String({ minLength: 1, description: 'The RDS instance to watch (required in aws mode)' }),
        ),
      },
      strict,
    ),
    functions: Type.Optional(
      Type.Array(FunctionConfig, {
        minItems: 1,
        description: 'The Lambda functions to watch (required in aws mode)',
      }),
    ),
    redaction: Type.Object(
      {
        secretKeys: Type.Optional(
          Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }), {
            description:
              'Field names (key=value, "key": value) whose values are hidden from log lines and Flightdeck’s own logs, besides passwords, tokens, AWS keys and card numbers',
          }),
        ),
      },
      strict,
    ),
    logs: Type.Object(
      {
        errorPattern: Type.String({
          default: '?ERROR ?Exception ?Traceback ?"does not exist"',
          description: 'CloudWatch Logs filter pattern for the Overview’s latest errors',
        }),
        windowMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
        callsPerSecond: Type.Number({
          exclusiveMinimum: 0,
          maximum: 25,
          default: 5,
          description:
            'FilterLogEvents calls per second shared by every tail and the Overview (CloudWatch Logs allows 5 to 25 per account and region)',
        }),
        tailBufferLines: Type.Integer({ minimum: 10, maximum: 100_000, default: 2000 }),
        tailBackfillMinutes: Type.Integer({ minimum: 0, maximum: 1440, default: 5 }),
        tailOverlapSeconds: Type.Integer({
          minimum: 1,
          maximum: 600,
          default: 15,
          description:
            'How far each tail poll reaches back before its newest line, for lines CloudWatch ingests late; a line ingested later than this is not shown',
        }),
        tailIdleSeconds: Type.Integer({
          minimum: 0,
          maximum: 3600,
          default: 30,
          description: 'How long a tail nobody watches keeps polling, so reconnects resume',
        }),
        clientMaxLagLines: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          default: 1000,
          description: 'A viewer that stops reading and falls this far behind is dropped with a notice',
        }),
      },
      strict,
    ),
    metrics: Type.Object(
      {
        windowMinutes: Type.Integer({ minimum: 5, maximum: 1440, default: 15 }),
        measures: Type.Array(
          Type.Object(
            {
              id: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]*$' }),
              label: Type.String(),
              metric: Type.String({ minLength: 1, description: 'AWS/Lambda metric name' }),
              stat: Type.String({ minLength: 1, description: 'Sum, Average, Maximum, p50, p99 …' }),
              unit: Type.Union([Type.Literal('count'), Type.Literal('milliseconds')]),
            },
            strict,
          ),
          { default: defaultLambdaMeasures, minItems: 1, maxItems: 100 },
        ),
        scope: Type.Union([Type.Literal('function'), Type.Literal('alias')], {
          default: 'function',
          description: 'alias: chart only the traffic of each function’s configured alias',
        }),
        windowIdleSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 120 }),
        compareMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 10 }),
      },
      strict,
    ),
    auth: Type.Object(
      {
        mode: Type.Optional(
          Type.Union([Type.Literal('sandbox'), Type.Literal('proxy'), Type.Literal('alb')], {
            description:
              'Who is asking: sandbox (demo user picker, sandbox mode only), proxy (oauth2-proxy headers), alb (ALB OIDC token). Default: sandbox in sandbox mode, else required',
          }),
        ),
        proxy: Type.Object(
          {
            trustedAddresses: Type.Array(Type.String(), {
              default: ['127.0.0.1', '::1'],
              description: 'Addresses or CIDRs of the proxies whose identity headers are believed',
            }),
            userHeader: Type.String({ default: 'x-forwarded-user' }),
            emailHeader: Type.String({ default: 'x-forwarded-email' }),
            groupsHeader: Type.String({ default: 'x-forwarded-groups' }),
          },
          strict,
        ),
        alb: Type.Object(
          {
            signerArn: Type.Optional(
              Type.String({ description: 'ARN of the load balancer that signs x-amzn-oidc-data' }),
            ),
            issuer: Type.Optional(
              Type.String({ description: 'The OIDC issuer the load balancer signs in with (iss claim)' }),
            ),
            clientId: Type.Optional(
              Type.String({ description: 'The OIDC client id configured on the load balancer' }),
            ),
            publicKeysUrl: Type.Optional(
              Type.String({
                description:
                  'Where signing keys are fetched (<url>/<kid>); default the region’s https://public-keys.auth.elb.<region>.amazonaws.com',
              }),
            ),
          },
          strict,
        ),
        roles: Type.Array(
          Type.Object(
            {
              role: Type.Union([Type.Literal('viewer'), Type.Literal('lead'), Type.Literal('ops')]),
              emails: Type.Array(Type.String(), { default: [] }),
              groups: Type.Array(Type.String(), { default: [] }),
              environments: Type.Optional(
                Type.Array(Type.String(), { description: 'Only in these environments (default: all)' }),
              ),
            },
            strict,
          ),
          { default: [] },
        ),
        defaultRole: Type.Union([Type.Literal('viewer'), Type.Literal('none')], {
          default: 'viewer',
          description: 'Role of a signed-in person no rule names',
        }),
        secret: Type.Optional(
          Type.String({
            minLength: 32,
            description: 'Signs cookies and CSRF tokens; random per start if absent',
          }),
        ),
        mutationsPerMinute: Type.Integer({
          minimum: 1,
          default: 30,
          description: 'Changes per minute per signed-in person',
        }),
      },
      strict,
    ),
    store: Type.Object(
      {
        url: Type.Optional(
          Type.String({
            minLength: 1,
            description:
              'A PostgreSQL server for Flightdeck’s own state (deploys, sign-offs, rollbacks, audit); needed to run more than one replica',
          }),
        ),
        dataDir: Type.String({
          minLength: 1,
          default: '.flightdeck/store',
          description:
            'Without url: the embedded store’s folder (PGlite, one process), relative to the config file',
        }),
        replicaId: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 120,
            description: 'This replica’s name in the header and the leader lease (default: hostname-pid)',
          }),
        ),
        leaderPollMs: Type.Integer({
          minimum: 100,
          default: 1000,
          description: 'How often a follower tries to become the collector leader (server store only)',
        }),
      },
      strict,
    ),
    deploys: Type.Object(
      {
        snapshotMaxAgeHours: Type.Number({ exclusiveMinimum: 0, default: 24 }),
        p99TolerancePercent: Type.Number({ minimum: 0, default: 50 }),
        errorWindowMinutes: Type.Integer({ minimum: 1, maximum: 60, default: 10 }),
        freshnessSeconds: Type.Integer({
          minimum: 1,
          default: 300,
          description: 'An automatic item whose evidence is older than this shows stale, never green',
        }),
        healthUrl: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
          default: null,
          description: 'Answers 200 when the application is healthy (sandbox mode: the sandbox’s own)',
        }),
        watchCheckpointHours: Type.Array(Type.Number({ exclusiveMinimum: 0 }), {
          default: [1, 6, 24],
          minItems: 1,
        }),
        frontendRef: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
          default: null,
          description: 'The frontend commit or tag recorded in the baseline',
        }),
        preparerMaySignOff: Type.Boolean({
          default: false,
          description: 'Whether the person who prepared a deploy may sign off its items',
        }),
        evaluateMs: Type.Integer({
          minimum: 250,
          default: 5000,
          description: 'How often the checklist is evaluated',
        }),
      },
      strict,
    ),
    intervals: Type.Object(
      {
        alembicMs: Type.Integer({ minimum: 250, default: 5000 }),
        rdsMs: Type.Integer({ minimum: 250, default: 15000 }),
        metricsMs: Type.Integer({ minimum: 250, default: 15000 }),
        logsMs: Type.Integer({ minimum: 250, default: 5000 }),
        lambdaMs: Type.Integer({ minimum: 250, default: 15000 }),
        accountMs: Type.Integer({
          minimum: 250,
          default: 300_000,
          description: 'How often STS GetCallerIdentity re-checks which account the credentials reach',
        }),
        logTailMs: Type.Integer({ minimum: 250, default: 1000 }),
        migrationsMs: Type.Integer({
          minimum: 250,
          default: 10000,
          description: 'Migration History: versions folder, alembic_version and information_schema',
        }),
      },
      strict,
    ),
    rollbacks: Type.Object(
      {
        pollMs: Type.Integer({
          minimum: 100,
          default: 15000,
          description: 'How often a running restore is followed with DescribeDBInstances',
        }),
        frontend: Type.Optional(
          Type.Object(
            {
              command: Type.Optional(
                Type.Array(Type.String(), {
                  minItems: 1,
                  description:
                    'Redeploys the frontend: an argument list (never a shell string); "{ref}" is replaced by the baseline tag',
                }),
              ),
              webhookUrl: Type.Optional(
                Type.String({ description: 'Or: POSTed {"ref": …}; its answer is kept as the output' }),
              ),
              name: Type.String({ default: 'frontend', description: 'What the operator types to confirm' }),
            },
            strict,
          ),
        ),
      },
      strict,
    ),
  },
  strict,
);

type RawConfig = Static<typeof ConfigSchema>;
export type AuthMode = NonNullable<RawConfig['auth']['mode']>;
export type Role = RawConfig['auth']['roles'][number]['role'];
export type FlightdeckConfig = Omit<RawConfig, 'auth' | 'functions' | 'rds' | 'redaction'> & {
  auth: RawConfig['auth'] & { mode: AuthMode };
  functions: NonNullable<RawConfig['functions']>;
  rds: { dbInstanceIdentifier: string };
  redaction: { secretKeys: string[] };
  /** Resolved at load time: the folder relative paths in the file were relative to. */
  baseDir: string;
};
export type FunctionTarget = FlightdeckConfig['functions'][number];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Partialish = Record<string, unknown>;

/** Environment variables that override the file, each mapped to one config path. */
const envOverrides: Array<[string, string[], (v: string) => unknown]> = [
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

function setPath(target: Partialish, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Partialish;
  }
  node[path[path.length - 1]!] = value;
}

/** Creates absent object sections so their keys' defaults apply (Value.Default fills only what exists). */
function fillSections(schema: { properties?: Record<string, unknown> }, value: Partialish): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const sub = child as { type?: string; properties?: Record<string, unknown> };
    if (sub.type !== 'object' || !sub.properties) continue;
    if (value[key] === undefined) value[key] = {};
    const next = value[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next))
      fillSections(sub, next as Partialish);
  }
}

/** Validate raw config (file contents merged with env), filling defaults; throws ConfigError naming the key. */
export function parseConfig(raw: unknown, baseDir = process.cwd()): FlightdeckConfig {
  const input = structuredClone(raw ?? {}) as Partialish;
  fillSections(ConfigSchema, input);
  const withDefaults = Value.Default(ConfigSchema, input);
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].map((e) => {
    const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const extra = (e.params as { additionalProperties?: string[] }).additionalProperties;
    return extra
      ? `unknown key "${path === '(root)' ? '' : path + '.'}${extra.join(', ')}"`
      : `${path}: ${e.message}`;
  });
  if (problems.length > 0) {
    throw new ConfigError(`Invalid Flightdeck config:\n  - ${[...new Set(problems)].join('\n  - ')}`);
  }
  const config = withDefaults as RawConfig;
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
  if (mistakes.length > 0)
    throw new ConfigError(`Invalid Flightdeck config:\n  - ${mistakes.join('\n  - ')}`);

  const sandbox = config.mode === 'sandbox';
  const auth = { ...config.auth, mode: config.auth.mode! };
  return {
    ...config,
    auth,
    functions: config.functions ?? sandboxDefaults.functions,
    rds: { dbInstanceIdentifier: config.rds.dbInstanceIdentifier ?? sandboxDefaults.dbInstanceIdentifier },
    redaction: { secretKeys: config.redaction.secretKeys ?? (sandbox ? sandboxDefaults.secretKeys : []) },
    baseDir,
  };
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
  const flag = argv.indexOf('--config');
  const file = flag >= 0 ? argv[flag + 1] : env.FLIGHTDECK_CONFIG;
  let raw: Partialish = {};
  let baseDir = process.cwd();
  if (file) {
    const path = resolve(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
    }
    try {
      raw = JSON.parse(text) as Partialish;
    } catch (error) {
      throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
    }
    baseDir = dirname(path);
  }
  for (const [name, path, convert] of envOverrides) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, convert(value));
  }
  return parseConfig(raw, baseDir);
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

/**
 * The lint settings for the CLI: from the config file named by --config or FLIGHTDECK_CONFIG
 * when there is one, the defaults otherwise.
 */
export function lintSettings(configFile: string | undefined, env = process.env): FlightdeckConfig['lint'] {
  if (!configFile && !env.FLIGHTDECK_CONFIG) return parseConfig({}).lint;
  return loadConfig(configFile ? ['--config', configFile] : [], env).lint;
}
