import type { FunctionMetrics, LambdaMetrics, MeasuresUnavailable, MetricPoint } from '@flightdeck/contracts';

export interface MetricFunction {
  name: string;
  label: string;
}

/** One CloudWatch GetMetricData query, in the API's own shape minus the SDK types. */
export interface MetricQuery {
  Id: string;
  Label: string;
  MetricStat: {
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
  ReturnData: true;
}

export interface MetricResult {
  Id?: string;
  Timestamps?: Date[];
  Values?: number[];
  /** Complete, PartialData (more pages), InternalError or Forbidden (this query failed alone). */
  StatusCode?: string;
  Messages?: { Code?: string; Value?: string }[];
}

type Measure = 'inv' | 'err' | 'p99' | 'avg';
const measures: Record<Measure, { metric: string; stat: string }> = {
  inv: { metric: 'Invocations', stat: 'Sum' },
  err: { metric: 'Errors', stat: 'Sum' },
  p99: { metric: 'Duration', stat: 'p99' },
  avg: { metric: 'Duration', stat: 'Average' },
};

const queryId = (fn: number, measure: Measure, scope: 'series' | 'total') => `f${fn}_${measure}_${scope}`;

/** The FunctionMetrics field each measure fills, the key of its `unavailable` marker. */
const measureFields: Record<Measure, keyof MeasuresUnavailable & keyof FunctionMetrics> = {
  inv: 'invocations',
  err: 'errors',
  p99: 'p99DurationMs',
  avg: 'avgDurationMs',
};

/** A per-minute series for the chart and one whole-window datapoint for the headline numbers. */
export function lambdaOverviewQueries(functions: MetricFunction[], windowMinutes: number): MetricQuery[] {
  const queries: MetricQuery[] = [];
  functions.forEach((fn, i) => {
    for (const [measure, { metric, stat }] of Object.entries(measures) as [
      Measure,
      (typeof measures)[Measure],
    ][]) {
      for (const scope of ['series', 'total'] as const) {
        queries.push({
          Id: queryId(i, measure, scope),
          Label: `${fn.name} ${metric} ${stat} ${scope}`,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: metric,
              Dimensions: [{ Name: 'FunctionName', Value: fn.name }],
            },
            // Whole-window totals use one period as long as the window; p99 can't be summed from minutes.
            Period: scope === 'series' ? 60 : windowMinutes * 60,
            Stat: stat,
          },
          ReturnData: true,
        });
      }
    }
  });
  return queries;
}

function pointsOf(results: Map<string, MetricResult>, id: string): Map<number, number> {
  const result = results.get(id);
  const points = new Map<number, number>();
  result?.Timestamps?.forEach((t, i) => {
    const v = result.Values?.[i];
    if (v !== undefined) points.set(t.getTime(), (points.get(t.getTime()) ?? 0) + v);
  });
  return points;
}

const sumOf = (points: Map<number, number>) => [...points.values()].reduce((a, b) => a + b, 0);
const firstOf = (points: Map<number, number>) => (points.size ? [...points.values()][0]! : null);
const round = (v: number | null, digits = 2) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Folds GetMetricData results (possibly split across pages) into per-function figures.
 * A minute with no datapoint had no invocations: CloudWatch omits empty periods.
 * `unavailable` (query id → why, from getMetricDataByStatistic) marks the measures that did not
 * answer, so a missing p99 reads as unavailable, not as a quiet minute.
 */
export function summarizeLambdaMetrics(
  functions: MetricFunction[],
  results: MetricResult[],
  windowMinutes: number,
  windowEnd: Date,
  unavailable: ReadonlyMap<string, { reason: string }> = new Map(),
): LambdaMetrics {
  const byId = new Map<string, MetricResult>();
  for (const r of results) {
    if (!r.Id) continue;
    const prev = byId.get(r.Id);
    byId.set(r.Id, {
      Id: r.Id,
      Timestamps: [...(prev?.Timestamps ?? []), ...(r.Timestamps ?? [])],
      Values: [...(prev?.Values ?? []), ...(r.Values ?? [])],
    });
  }
  const endMinute = Math.floor(windowEnd.getTime() / 60_000) * 60_000;
  const minutes = Array.from({ length: windowMinutes }, (_, k) => endMinute - (windowMinutes - k) * 60_000);

  const summaries: FunctionMetrics[] = functions.map((fn, i) => {
    const inv = pointsOf(byId, queryId(i, 'inv', 'series'));
    const err = pointsOf(byId, queryId(i, 'err', 'series'));
    const p99 = pointsOf(byId, queryId(i, 'p99', 'series'));
    const series: MetricPoint[] = minutes.map((t) => ({
      t: new Date(t).toISOString(),
      invocations: inv.get(t) ?? 0,
      errors: err.get(t) ?? 0,
      p99DurationMs: round(p99.get(t) ?? null),
    }));
    const invocations = sumOf(pointsOf(byId, queryId(i, 'inv', 'total'))) || sumOf(inv);
    const errors = sumOf(pointsOf(byId, queryId(i, 'err', 'total'))) || sumOf(err);
    const marks: MeasuresUnavailable = {};
    for (const [measure, field] of Object.entries(measureFields) as [Measure, string][]) {
      const missing =
        unavailable.get(queryId(i, measure, 'series')) ?? unavailable.get(queryId(i, measure, 'total'));
      if (missing) marks[field] = { reason: missing.reason };
    }
    const rateKnown = invocations > 0 && !marks.invocations && !marks.errors;
    return {
      functionName: fn.name,
      label: fn.label,
      invocations,
      errors,
      errorRate: rateKnown ? errors / invocations : null,
      p99DurationMs: round(firstOf(pointsOf(byId, queryId(i, 'p99', 'total')))),
      avgDurationMs: round(firstOf(pointsOf(byId, queryId(i, 'avg', 'total')))),
      series,
      ...(Object.keys(marks).length > 0 ? { unavailable: marks } : {}),
    };
  });
  return { windowMinutes, periodSeconds: 60, functions: summaries };
}
