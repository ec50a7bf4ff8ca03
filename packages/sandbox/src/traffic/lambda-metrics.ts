import type { MinuteTrafficCache } from './minute-traffic.js';
import { minuteMs, visitGeneratedMinute } from './invocations.js';
import { applyStat } from './metric-stats.js';
import type { TrafficFunction, TrafficWorld } from './world.js';

export const lambdaMetricUnits: Record<string, string> = {
  Invocations: 'Count',
  Errors: 'Count',
  Throttles: 'Count',
  ConcurrentExecutions: 'Count',
  Duration: 'Milliseconds',
};

export interface MetricQuery {
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  unit?: string;
  stat: string;
  periodSeconds: number;
  startMs: number;
  endMs: number;
}

/** Datapoints oldest first; only periods that have samples, as CloudWatch does. */
export interface MetricSeries {
  timestamps: number[];
  values: number[];
}

interface Selection {
  functions: readonly TrafficFunction[];
  matches(resource: string, version: string): boolean;
}

/** Which invocations a dimension set selects, per the combinations AWS/Lambda publishes. */
function select(query: MetricQuery, world: TrafficWorld): Selection | undefined {
  const dims = new Map(query.dimensions.map((d) => [d.name, d.value]));
  if (dims.size !== query.dimensions.length) return undefined;
  const functionName = dims.get('FunctionName');
  const resource = dims.get('Resource');
  const executedVersion = dims.get('ExecutedVersion');
  const known = ['FunctionName', 'Resource', 'ExecutedVersion'];
  if ([...dims.keys()].some((k) => !known.includes(k))) return undefined;
  if (dims.size === 0) return { functions: world.functions, matches: () => true };
  if (functionName === undefined) return undefined;
  if (
    executedVersion !== undefined &&
    (resource === undefined || query.metricName === 'ConcurrentExecutions')
  )
    return undefined;
  const functions = world.functions.filter((f) => f.name === functionName);
  return {
    functions,
    matches: (r, v) =>
      (resource === undefined || r === resource) && (executedVersion === undefined || v === executedVersion),
  };
}

/**
 * One MetricStat over [startMs, endMs): samples per invocation (1 for Invocations, 0/1 for
 * Errors so Average is the error rate, the duration for Duration, 0 for Throttles) and one
 * per minute for ConcurrentExecutions (its peak).
 */
export function lambdaMetricSeries(
  query: MetricQuery,
  world: TrafficWorld,
  cache: MinuteTrafficCache,
): MetricSeries {
  const empty: MetricSeries = { timestamps: [], values: [] };
  const unit = lambdaMetricUnits[query.metricName];
  if (query.namespace !== 'AWS/Lambda' || unit === undefined) return empty;
  if (query.unit !== undefined && query.unit !== unit) return empty;
  const selection = select(query, world);
  if (!selection || selection.functions.length === 0) return empty;

  const alignedStart = Math.floor(query.startMs / minuteMs) * minuteMs;
  const periodMs = query.periodSeconds * 1000;
  const end = Math.min(query.endMs, world.now() + 1);
  const firstMinute = Math.max(alignedStart, Math.floor(world.historyStartMs() / minuteMs) * minuteMs);
  const buckets = new Map<number, number[]>();
  const add = (bucketStart: number, sample: number) => {
    let samples = buckets.get(bucketStart);
    if (!samples) buckets.set(bucketStart, (samples = []));
    samples.push(sample);
  };
  const bucketOf = (atMs: number) => alignedStart + Math.floor((atMs - alignedStart) / periodMs) * periodMs;
  const sampleOf: (failed: boolean, durationMs: number) => number | undefined = {
    Invocations: () => 1,
    Errors: (failed: boolean) => (failed ? 1 : 0),
    Throttles: () => 0,
    Duration: (_: boolean, durationMs: number) => durationMs,
    ConcurrentExecutions: () => undefined,
  }[query.metricName]!;

  for (let minute = firstMinute; minute < end; minute += minuteMs) {
    let minutePeak = 0;
    for (const fn of selection.functions) {
      let selected = 0;
      let busyMs = 0;
      const take = (
        startMs: number,
        durationMs: number,
        failed: boolean,
        resource: string,
        version: string,
      ) => {
        if (startMs >= end || startMs < query.startMs || !selection.matches(resource, version)) return;
        selected++;
        busyMs += durationMs;
        const sample = sampleOf(failed, durationMs);
        if (sample !== undefined) add(bucketOf(startMs), sample);
      };
      const aliasResource = `${fn.name}:${fn.alias}`;
      visitGeneratedMinute(fn, minute, world, cache, (v) =>
        take(v.startMs, v.durationMs, v.failed, aliasResource, v.version),
      );
      for (const r of world.recordedBetween(fn.name, minute, minute + minuteMs))
        take(r.startMs, r.durationMs, r.failed, r.resource, r.version);
      // Concurrency peaks at one or two for a few-ms API; slow jobs overlap more.
      if (selected > 0)
        minutePeak += Math.max(1, Math.ceil((busyMs / minuteMs) * 2 + (selected > 130 ? 1 : 0)));
    }
    if (query.metricName === 'ConcurrentExecutions' && minutePeak > 0 && minute >= alignedStart)
      add(bucketOf(minute), minutePeak);
  }

  const series: MetricSeries = { timestamps: [], values: [] };
  for (const bucketStart of [...buckets.keys()].sort((a, b) => a - b)) {
    series.timestamps.push(bucketStart);
    series.values.push(applyStat(query.stat, buckets.get(bucketStart)!));
  }
  return series;
}
