import Type, { type Static } from 'typebox';
import { Identifier } from './schema-helpers.js';

export const SandboxService = Type.Union([
  Type.Literal('CloudWatch'),
  Type.Literal('CloudWatchLogs'),
  Type.Literal('RDS'),
  Type.Literal('Lambda'),
  Type.Literal('STS'),
]);
export const FaultKind = Type.Union([
  Type.Literal('latency'),
  Type.Literal('throttle'),
  Type.Literal('error5xx'),
  Type.Literal('hang'),
  // behaviour of AWS-compatible emulators, each on its one operation (see the sandbox's faults.ts)
  Type.Literal('percentiles-unsupported'),
  Type.Literal('ignore-revision-id'),
]);

export const SandboxFault = Type.Object(
  {
    service: SandboxService,
    operation: Type.String({ pattern: '^[A-Z][A-Za-z0-9]{1,63}$', description: 'e.g. GetMetricData' }),
    kind: FaultKind,
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    remaining: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, description: 'Calls to fault; unlimited if absent' }),
    ),
  },
  { additionalProperties: false },
);
export type SandboxFault = Static<typeof SandboxFault>;

export const SandboxState = Type.Object(
  {
    scenarioTime: Type.String({ format: 'date-time' }),
    revision: Type.Array(Type.String()),
    pending: Type.Array(Type.String()),
    migrationsAppliedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    faults: Type.Array(SandboxFault),
  },
  { additionalProperties: false },
);
export type SandboxState = Static<typeof SandboxState>;

export const AdvanceClock = Type.Object(
  {
    seconds: Type.Integer({
      minimum: 1,
      maximum: 7 * 86_400,
      description: 'How far to move the scenario clock',
    }),
  },
  { additionalProperties: false },
);
export type AdvanceClock = Static<typeof AdvanceClock>;

export const FailInvocations = Type.Object(
  {
    count: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'Failed requests, one a second up to now, each logging an error',
    }),
  },
  { additionalProperties: false },
);
export type FailInvocations = Static<typeof FailInvocations>;

export const SandboxFunctionParams = Type.Object(
  { functionName: Identifier },
  { additionalProperties: false },
);
export type SandboxFunctionParams = Static<typeof SandboxFunctionParams>;

/** Apply the pending migrations: at once, or played for `playSeconds` holding their locks first. */
export const ApplyMigrations = Type.Object(
  {
    playSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 120,
        description: 'Hold the migration’s locks this long, with requests waiting behind it, then apply',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ApplyMigrations = Static<typeof ApplyMigrations>;

/** The worker's transaction left open in the sandbox: a session holding a row lock on `table`. */
export const LongTransaction = Type.Object(
  {
    table: Type.String({
      pattern: '^[a-z_][a-z0-9_]*$',
      maxLength: 63,
      description: 'A table of the demo database',
    }),
    seconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'How long it stays open' }),
  },
  { additionalProperties: false },
);
export type LongTransaction = Static<typeof LongTransaction>;

/** Changes that take no parameters still take a JSON object, so a stray body is an error, not ignored. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });
