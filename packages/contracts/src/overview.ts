import Type, { type Static } from 'typebox';
import { SchemaErrorCount } from './logs.js';
import { MeasuresUnavailable } from './metrics.js';
import { SourceState } from './source-state.js';

export const AlembicStatus = Type.Object(
  {
    current: Type.Array(Type.String(), { description: 'Revisions in alembic_version (one per head)' }),
    heads: Type.Array(Type.String(), { description: 'Heads of the code’s versions folder' }),
    pending: Type.Array(Type.String(), { description: 'Revisions to apply, in upgrade order' }),
    unknown: Type.Array(Type.String(), { description: 'Revisions the database names but the code lacks' }),
    upToDate: Type.Boolean(),
    via: Type.Union([Type.Literal('direct'), Type.Literal('lambda')]),
  },
  { additionalProperties: false },
);
export type AlembicStatus = Static<typeof AlembicStatus>;

export const DbSnapshot = Type.Object(
  {
    id: Type.String(),
    dbInstance: Type.String(),
    status: Type.String(),
    type: Type.String({ description: 'manual or automated' }),
    createdAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    sizeGb: Type.Union([Type.Number(), Type.Null()]),
    progressPercent: Type.Union([Type.Number(), Type.Null()]),
    engineVersion: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type DbSnapshot = Static<typeof DbSnapshot>;

export const RdsStatus = Type.Object(
  {
    instance: Type.Union([
      Type.Object(
        {
          id: Type.String(),
          status: Type.String(),
          engine: Type.String(),
          engineVersion: Type.String(),
          instanceClass: Type.String(),
          allocatedStorageGb: Type.Number(),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    latestSnapshot: Type.Union([DbSnapshot, Type.Null()]),
    latestManualSnapshot: Type.Union([DbSnapshot, Type.Null()]),
    snapshotCount: Type.Integer(),
  },
  { additionalProperties: false },
);
export type RdsStatus = Static<typeof RdsStatus>;

export const MetricPoint = Type.Object(
  {
    t: Type.String({ format: 'date-time' }),
    invocations: Type.Number(),
    errors: Type.Number(),
    p99DurationMs: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type MetricPoint = Static<typeof MetricPoint>;

export const FunctionMetrics = Type.Object(
  {
    functionName: Type.String(),
    label: Type.String(),
    invocations: Type.Number(),
    errors: Type.Number(),
    errorRate: Type.Union([Type.Number(), Type.Null()], {
      description: 'errors / invocations; null with no traffic',
    }),
    p99DurationMs: Type.Union([Type.Number(), Type.Null()]),
    avgDurationMs: Type.Union([Type.Number(), Type.Null()]),
    series: Type.Array(MetricPoint),
    /** Keys: invocations, errors, p99DurationMs, avgDurationMs. */
    unavailable: Type.Optional(MeasuresUnavailable),
  },
  { additionalProperties: false },
);
export type FunctionMetrics = Static<typeof FunctionMetrics>;

export const LambdaMetrics = Type.Object(
  {
    windowMinutes: Type.Integer(),
    periodSeconds: Type.Integer(),
    functions: Type.Array(FunctionMetrics),
  },
  { additionalProperties: false },
);
export type LambdaMetrics = Static<typeof LambdaMetrics>;

export const LogErrorLine = Type.Object(
  {
    functionName: Type.String(),
    timestamp: Type.String({ format: 'date-time' }),
    message: Type.String(),
    logStream: Type.String(),
    eventId: Type.String(),
  },
  { additionalProperties: false },
);
export type LogErrorLine = Static<typeof LogErrorLine>;

export const RecentLogErrors = Type.Object(
  {
    windowMinutes: Type.Integer(),
    pattern: Type.String(),
    lines: Type.Array(LogErrorLine),
    schemaErrors: Type.Array(SchemaErrorCount, {
      description: 'Missing column/relation errors per function among the lines matched in the window',
    }),
    complete: Type.Boolean({
      description:
        'False when a log group had more matching lines than one refresh reads: counts are lower bounds',
    }),
  },
  { additionalProperties: false },
);
export type RecentLogErrors = Static<typeof RecentLogErrors>;

/** A published version of a function, as ListVersionsByFunction gives it. */
export const PublishedVersion = Type.Object(
  {
    version: Type.String(),
    lastModified: Type.Union([Type.String(), Type.Null()]),
    description: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type PublishedVersion = Static<typeof PublishedVersion>;

export const FunctionAlias = Type.Object(
  {
    functionName: Type.String(),
    label: Type.String(),
    alias: Type.String(),
    aliasVersion: Type.Union([Type.String(), Type.Null()]),
    latestPublishedVersion: Type.Union([Type.String(), Type.Null()]),
    previousPublishedVersion: Type.Union([Type.String(), Type.Null()], {
      description: 'The published version before the alias target: the rollback target',
    }),
    runtime: Type.Union([Type.String(), Type.Null()]),
    lastModified: Type.Union([Type.String(), Type.Null()]),
    /** The newest published versions (at most 25), newest first: what a rollback can choose. */
    versions: Type.Array(PublishedVersion),
  },
  { additionalProperties: false },
);
export type FunctionAlias = Static<typeof FunctionAlias>;

export const LambdaAliases = Type.Object(
  { functions: Type.Array(FunctionAlias) },
  { additionalProperties: false },
);
export type LambdaAliases = Static<typeof LambdaAliases>;

export const sourceNames = ['alembic', 'rds', 'metrics', 'logs', 'lambda'] as const;
export type SourceName = (typeof sourceNames)[number];

export const Overview = Type.Object(
  {
    environment: Type.String(),
    serverTime: Type.String({ format: 'date-time', description: 'For ages computed in the browser' }),
    sources: Type.Object(
      {
        alembic: SourceState(AlembicStatus),
        rds: SourceState(RdsStatus),
        metrics: SourceState(LambdaMetrics),
        logs: SourceState(RecentLogErrors),
        lambda: SourceState(LambdaAliases),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type Overview = Static<typeof Overview>;
export type OverviewSources = Overview['sources'];
