import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `aws`: the region, endpoint and profile every AWS client uses. */
export const awsSection = Type.Object(
  {
    region: Type.String({ default: 'us-east-1' }),
    endpoint: Type.Optional(Type.String({ description: 'Override for every AWS client (AWS_ENDPOINT_URL)' })),
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
);

/** `database`: how the target database is reached. */
export const databaseSection = Type.Object(
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
);

/** `alembic`: the code's migration scripts. */
export const alembicSection = Type.Object(
  {
    versionsDir: Type.Optional(
      Type.String({ description: 'The Alembic versions/ folder of the code to deploy' }),
    ),
  },
  strict,
);

/** `rds`: the instance to watch. */
export const rdsSection = Type.Object(
  {
    dbInstanceIdentifier: Type.Optional(
      Type.String({ minLength: 1, description: 'The RDS instance to watch (required in aws mode)' }),
    ),
  },
  strict,
);

/** `redaction`: what never reaches a viewer or a log. */
export const redactionSection = Type.Object(
  {
    secretKeys: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }), {
        description:
          'Field names (key=value, "key": value) whose values are hidden from log lines and Flightdeck’s own logs, besides passwords, tokens, AWS keys and card numbers',
      }),
    ),
  },
  strict,
);

/** `intervals`: how often the leader polls each upstream. */
export const intervalsSection = Type.Object(
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
);

const FunctionConfig = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      // Its logs are tailed at /api/v1/logs/<name>/tail: it must be an Identifier (contracts).
      maxLength: 140,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
      description: 'The function’s name or ARN',
    }),
    label: Type.Optional(Type.String()),
    alias: Type.String({ default: 'prod' }),
  },
  strict,
);

/** `functions`: the Lambda functions to watch (their aliases, metrics and logs). */
export const functionsSection = Type.Optional(
  Type.Array(FunctionConfig, {
    minItems: 1,
    description: 'The Lambda functions to watch (required in aws mode)',
  }),
);
