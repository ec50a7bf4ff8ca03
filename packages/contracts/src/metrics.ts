import Type, { type Static } from 'typebox';
import { SourceState } from './source-state.js';
import { strict } from './schema-helpers.js';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** The chart windows the Metrics page offers; each has its own CloudWatch period (see core). */
export const MetricsWindowId = Type.Union(
  [Type.Literal('15m'), Type.Literal('1h'), Type.Literal('3h'), Type.Literal('24h'), Type.Literal('7d')],
  { description: 'Chart window: 15m, 1h, 3h, 24h or 7d' },
);
export type MetricsWindowId = Static<typeof MetricsWindowId>;
export const metricsWindowIds: readonly MetricsWindowId[] = ['15m', '1h', '3h', '24h', '7d'];

/** One configured CloudWatch metric + statistic, e.g. Duration p99. */
export const MetricMeasure = Type.Object(
  {
    id: Type.String({ description: 'Key of this measure in totals and values' }),
    label: Type.String(),
    metric: Type.String({ description: 'AWS/Lambda metric name' }),
    stat: Type.String({ description: 'CloudWatch statistic: Sum, Average, Maximum, p50, p99 …' }),
    unit: Type.Union([Type.Literal('count'), Type.Literal('milliseconds')]),
  },
  strict,
);
export type MetricMeasure = Static<typeof MetricMeasure>;

/**
 * Measures the endpoint did not answer while the others did (e.g. an AWS-compatible endpoint
 * without percentiles): measure key → why. Their figures are null; absent when all answered.
 */
export const MeasuresUnavailable = Type.Record(
  Type.String(),
  Type.Object(
    { reason: Type.String({ description: 'e.g. "p99 unavailable from this endpoint: …"' }) },
    strict,
  ),
  { description: 'Measures without data, each with the reason; absent when every measure answered' },
);
export type MeasuresUnavailable = Static<typeof MeasuresUnavailable>;

export const FunctionMetricSeries = Type.Object(
  {
    functionName: Type.String(),
    label: Type.String(),
    alias: Type.Union([Type.String(), Type.Null()], {
      description: 'The alias whose traffic is shown (metrics.scope = alias), else null',
    }),
    totals: Type.Record(Type.String(), NullableNumber, {
      description: 'Whole-window figure per measure id; null when CloudWatch has no datapoint',
    }),
    errorRate: Type.Union([Type.Number(), Type.Null()], {
      description: 'Errors / Invocations over the window; null with no traffic',
    }),
    values: Type.Record(Type.String(), Type.Array(NullableNumber), {
      description: 'Per measure id, one value per timestamp (counts are 0 where CloudWatch has none)',
    }),
    errorRates: Type.Array(NullableNumber),
    unavailable: Type.Optional(MeasuresUnavailable),
  },
  strict,
);
export type FunctionMetricSeries = Static<typeof FunctionMetricSeries>;

export const MetricsWindowData = Type.Object(
  {
    window: MetricsWindowId,
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    periodSeconds: Type.Integer(),
    measures: Type.Array(MetricMeasure),
    timestamps: Type.Array(Type.String({ format: 'date-time' }), { description: 'Start of each period' }),
    functions: Type.Array(FunctionMetricSeries),
    getMetricDataCalls: Type.Integer({ description: 'CloudWatch calls the latest refresh took' }),
    downsampledFrom: Type.Optional(
      Type.Integer({
        description:
          'Periods in the window when the chart shows fewer (LTTB, with every series’ true min and max kept)',
      }),
    ),
  },
  strict,
);
export type MetricsWindowData = Static<typeof MetricsWindowData>;

export const DeployMarker = Type.Object(
  {
    id: Type.String(),
    at: Type.String({ format: 'date-time' }),
    kind: Type.Union([
      Type.Literal('migration-applied'),
      Type.Literal('migration-reverted'),
      Type.Literal('alias-changed'),
      Type.Literal('rollback'),
      Type.Literal('snapshot-restore'),
      Type.Literal('other'),
      /** From the deploy's record: a rollback refused, errors starting and stopping, the verdict changing, a sign-off or revoke. */
      Type.Literal('rollback-refused'),
      Type.Literal('errors-started'),
      Type.Literal('errors-stopped'),
      Type.Literal('verdict-changed'),
      Type.Literal('sign-off'),
    ]),
    title: Type.String({ description: 'e.g. "Backend API alias prod: v7 → v8"' }),
    functionName: Type.Union([Type.String(), Type.Null()], {
      description: 'The function it concerns; null for the database',
    }),
    source: Type.Union(
      [Type.Literal('sandbox-timeline'), Type.Literal('observed'), Type.Literal('deploy-record')],
      {
        description:
          'observed: Flightdeck saw the change between two polls, so `at` is within one poll; deploy-record: an event on the deploy timeline',
      },
    ),
    detail: Type.Optional(Type.String({ description: 'What the tooltip says beyond the title' })),
    deployId: Type.Optional(Type.String()),
  },
  strict,
);
export type DeployMarker = Static<typeof DeployMarker>;
export type DeployMarkerKind = DeployMarker['kind'];

/** Figures of a function over the minutes on one side of a deploy marker. */
export const PeriodSummary = Type.Object(
  {
    minutes: Type.Number({ description: 'Minutes of data this side actually covers' }),
    invocations: NullableNumber,
    errors: NullableNumber,
    errorRate: NullableNumber,
    avgDurationMs: NullableNumber,
    p99DurationMs: Type.Union([Type.Number(), Type.Null()], {
      description: 'Highest per-period p99: percentiles of different periods cannot be merged',
    }),
  },
  strict,
);
export type PeriodSummary = Static<typeof PeriodSummary>;

export const MarkerComparison = Type.Object(
  {
    markerId: Type.String(),
    minutes: Type.Integer({ description: 'Minutes compared on each side of the marker' }),
    functions: Type.Array(
      Type.Object(
        {
          functionName: Type.String(),
          label: Type.String(),
          before: PeriodSummary,
          after: PeriodSummary,
        },
        strict,
      ),
    ),
  },
  strict,
);
export type MarkerComparison = Static<typeof MarkerComparison>;

export const MetricsQuery = Type.Object({ window: Type.Optional(MetricsWindowId) }, strict);
export type MetricsQuery = Static<typeof MetricsQuery>;

export const MetricsWindowResponse = Type.Object(
  {
    window: MetricsWindowId,
    serverTime: Type.String({ format: 'date-time' }),
    metrics: SourceState(MetricsWindowData),
    markers: Type.Array(DeployMarker, { description: 'Deploy events inside the window, oldest first' }),
    comparisons: Type.Array(MarkerComparison),
  },
  strict,
);
export type MetricsWindowResponse = Static<typeof MetricsWindowResponse>;
