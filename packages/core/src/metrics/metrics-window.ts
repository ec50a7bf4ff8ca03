import type {
  FunctionMetricSeries,
  MeasuresUnavailable,
  MetricMeasure,
  MetricsWindowData,
  MetricsWindowId,
} from '@flightdeck/contracts';
import type { MetricQuery, MetricResult } from './lambda-metrics.js';

/**
 * Each window's period is fine enough to see a deploy: minutes up to a week (the chart draws a
 * downsampled line, see chart-window.ts), 5 minutes for a day where a minute adds little.
 * 1-minute data is kept by CloudWatch for 15 days, so a week of it is always there.
 */
export const metricsWindows: Record<MetricsWindowId, { seconds: number; periodSeconds: number }> = {
  '15m': { seconds: 15 * 60, periodSeconds: 60 },
  '1h': { seconds: 3600, periodSeconds: 60 },
  '3h': { seconds: 3 * 3600, periodSeconds: 60 },
  '24h': { seconds: 24 * 3600, periodSeconds: 300 },
  '7d': { seconds: 7 * 24 * 3600, periodSeconds: 60 },
};

/** GetMetricData's documented limits (the 1,440-point cap is GetMetricStatistics', not this call's). */
export const getMetricDataLimits = {
  maxQueriesPerCall: 500,
  maxDatapointsPerCall: 100_800,
};

/** The default set: what the on-call engineer reads during a deploy. Config can replace it. */
export const defaultLambdaMeasures: MetricMeasure[] = [
  { id: 'invocations', label: 'Invocations', metric: 'Invocations', stat: 'Sum', unit: 'count' },
  { id: 'errors', label: 'Errors', metric: 'Errors', stat: 'Sum', unit: 'count' },
  { id: 'throttles', label: 'Throttles', metric: 'Throttles', stat: 'Sum', unit: 'count' },
  { id: 'durationAvg', label: 'Duration avg', metric: 'Duration', stat: 'Average', unit: 'milliseconds' },
  { id: 'durationP50', label: 'Duration p50', metric: 'Duration', stat: 'p50', unit: 'milliseconds' },
  { id: 'durationP99', label: 'Duration p99', metric: 'Duration', stat: 'p99', unit: 'milliseconds' },
  {
    id: 'concurrency',
    label: 'Concurrent executions',
    metric: 'ConcurrentExecutions',
    stat: 'Maximum',
    unit: 'count',
  },
];

export interface MetricTarget {
  name: string;
  label: string;
  alias: string;
}

export type MetricsScope = 'function' | 'alias';

export interface MetricsWindowPlan {
  window: MetricsWindowId;
  start: Date;
  end: Date;
  periodSeconds: number;
  /** One GetMetricData call each (plus its pages). */
  batches: MetricQuery[][];
}

/** Whole-window figures of these statistics follow from the series; others need their own query. */
const derivable = new Set(['Sum', 'SampleCount', 'Maximum', 'Minimum']);

const seriesId = (fn: number, measure: number) => `f${fn}m${measure}s`;
const totalId = (fn: number, measure: number) => `f${fn}m${measure}t`;

/**
 * How often a window is worth refreshing: a new datapoint arrives once per period, and a new minute
 * moves a week-long line by less than a pixel (one refresh per ~1/2000 of the window).
 */
export function windowRefreshMs(window: MetricsWindowId, baseIntervalMs: number): number {
  const { seconds, periodSeconds } = metricsWindows[window];
  return Math.max(baseIntervalMs, (periodSeconds * 1000) / 4, Math.round((seconds * 1000) / 2000));
}

/**
 * Every function's queries for one window, packed into as few GetMetricData calls as the
 * limits allow. The window ends at the last whole minute: a partial minute reads as a drop.
 */
export function planMetricsWindow(
  functions: MetricTarget[],
  measures: MetricMeasure[],
  window: MetricsWindowId,
  now: Date,
  scope: MetricsScope = 'function',
  limits = getMetricDataLimits,
): MetricsWindowPlan {
  const { seconds, periodSeconds } = metricsWindows[window];
  const points = seconds / periodSeconds;
  if (points > limits.maxDatapointsPerCall) {
    throw new RangeError(
      `${window} at ${periodSeconds}s is ${points} datapoints, more than one call returns`,
    );
  }
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const start = new Date(end.getTime() - seconds * 1000);

  const batches: MetricQuery[][] = [];
  let batch: MetricQuery[] = [];
  let batchPoints = 0;
  functions.forEach((fn, f) => {
    const queries: MetricQuery[] = [];
    let fnPoints = 0;
    measures.forEach((measure, m) => {
      const dimensions = [{ Name: 'FunctionName', Value: fn.name }];
      // Lambda publishes alias traffic under FunctionName + Resource "name:alias".
      if (scope === 'alias') dimensions.push({ Name: 'Resource', Value: `${fn.name}:${fn.alias}` });
      const metric = { Namespace: 'AWS/Lambda', MetricName: measure.metric, Dimensions: dimensions };
      queries.push({
        Id: seriesId(f, m),
        Label: `${fn.name} ${measure.id}`,
        MetricStat: { Metric: metric, Period: periodSeconds, Stat: measure.stat },
        ReturnData: true,
      });
      fnPoints += points;
      if (!derivable.has(measure.stat)) {
        // A p99 over the window can't be computed from per-period p99s: one period as long as the window.
        queries.push({
          Id: totalId(f, m),
          Label: `${fn.name} ${measure.id} total`,
          MetricStat: { Metric: metric, Period: seconds, Stat: measure.stat },
          ReturnData: true,
        });
        fnPoints += 1;
      }
    });
    if (
      batch.length > 0 &&
      (batch.length + queries.length > limits.maxQueriesPerCall ||
        batchPoints + fnPoints > limits.maxDatapointsPerCall)
    ) {
      batches.push(batch);
      batch = [];
      batchPoints = 0;
    }
    batch.push(...queries);
    batchPoints += fnPoints;
  });
  if (batch.length > 0) batches.push(batch);
  return { window, start, end, periodSeconds, batches };
}

const round = (v: number) => Math.round(v * 100) / 100;

function combine(stat: string, a: number, b: number): number {
  if (stat === 'Sum' || stat === 'SampleCount') return a + b;
  if (stat === 'Maximum') return Math.max(a, b);
  if (stat === 'Minimum') return Math.min(a, b);
  return a;
}

function totalFrom(stat: string, series: (number | null)[]): number | null {
  const present = series.filter((v): v is number => v !== null);
  if (stat === 'Sum' || stat === 'SampleCount') return present.reduce((a, b) => a + b, 0);
  if (present.length === 0) return null;
  return stat === 'Maximum' ? Math.max(...present) : Math.min(...present);
}

/** Finds the measure for a metric and statistic (e.g. Errors Sum) in a configured set. */
export function findMeasure(
  measures: MetricMeasure[],
  metric: string,
  stat: string,
): MetricMeasure | undefined {
  return measures.find((m) => m.metric === metric && m.stat.toLowerCase() === stat.toLowerCase());
}

/**
 * Folds GetMetricData results (any number of calls and pages) into one series per measure per
 * function, one value per period. CloudWatch omits periods without data: a count is 0 there,
 * any other statistic is unknown (null). A measure in `unavailable` (query id → why, from
 * getMetricDataByStatistic) is null throughout, never 0, and carries the reason.
 */
export function summarizeMetricsWindow(
  plan: MetricsWindowPlan,
  functions: MetricTarget[],
  measures: MetricMeasure[],
  results: MetricResult[],
  scope: MetricsScope,
  calls: number,
  unavailable: ReadonlyMap<string, { reason: string }> = new Map(),
): MetricsWindowData {
  const periodMs = plan.periodSeconds * 1000;
  const startMs = plan.start.getTime();
  const bins = Math.round((plan.end.getTime() - startMs) / periodMs);
  const timestamps = Array.from({ length: bins }, (_, i) => new Date(startMs + i * periodMs).toISOString());

  const byId = new Map<string, { t: number; v: number }[]>();
  for (const r of results) {
    if (!r.Id) continue;
    const points = byId.get(r.Id) ?? [];
    r.Timestamps?.forEach((t, i) => {
      const v = r.Values?.[i];
      if (v !== undefined) points.push({ t: t.getTime(), v });
    });
    byId.set(r.Id, points);
  }

  const invocations = findMeasure(measures, 'Invocations', 'Sum');
  const errors = findMeasure(measures, 'Errors', 'Sum');

  const series: FunctionMetricSeries[] = functions.map((fn, f) => {
    const values: Record<string, (number | null)[]> = {};
    const totals: Record<string, number | null> = {};
    const marks: MeasuresUnavailable = {};
    measures.forEach((measure, m) => {
      const missing = unavailable.get(seriesId(f, m)) ?? unavailable.get(totalId(f, m));
      if (missing) {
        marks[measure.id] = { reason: missing.reason };
        values[measure.id] = new Array<number | null>(bins).fill(null);
        totals[measure.id] = null;
        return;
      }
      const isCount = measure.stat === 'Sum' || measure.stat === 'SampleCount';
      const row: (number | null)[] = new Array<number | null>(bins).fill(isCount ? 0 : null);
      const seen = new Array<boolean>(bins).fill(false);
      for (const { t, v } of byId.get(seriesId(f, m)) ?? []) {
        // Binned by position, so a datapoint aligned differently than expected still lands in its period.
        const bin = Math.floor((t - startMs) / periodMs);
        if (bin < 0 || bin >= bins) continue;
        row[bin] = seen[bin] ? combine(measure.stat, row[bin]!, v) : v;
        seen[bin] = true;
      }
      values[measure.id] = row.map((v) => (v === null ? null : round(v)));
      const total = derivable.has(measure.stat)
        ? totalFrom(measure.stat, row)
        : (byId.get(totalId(f, m))?.[0]?.v ?? null);
      totals[measure.id] = total === null ? null : round(total);
    });
    const inv = invocations ? values[invocations.id]! : null;
    const err = errors ? values[errors.id]! : null;
    const rateKnown = invocations && errors && !marks[invocations.id] && !marks[errors.id];
    const errorRates = timestamps.map((_, i) => {
      const n = inv?.[i] ?? 0;
      return rateKnown && inv && err && n > 0 ? (err[i] ?? 0) / n : null;
    });
    const totalInv = invocations ? (totals[invocations.id] ?? 0) : 0;
    return {
      functionName: fn.name,
      label: fn.label,
      alias: scope === 'alias' ? fn.alias : null,
      totals,
      errorRate: rateKnown && totalInv > 0 ? (totals[errors.id] ?? 0) / totalInv : null,
      values,
      errorRates,
      ...(Object.keys(marks).length > 0 ? { unavailable: marks } : {}),
    };
  });

  return {
    window: plan.window,
    start: plan.start.toISOString(),
    end: plan.end.toISOString(),
    periodSeconds: plan.periodSeconds,
    measures,
    timestamps,
    functions: series,
    getMetricDataCalls: calls,
  };
}
