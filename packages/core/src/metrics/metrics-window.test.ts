import { metricsWindowIds } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import {
  defaultLambdaMeasures,
  getMetricDataLimits,
  metricsWindows,
  planMetricsWindow,
  summarizeMetricsWindow,
  windowRefreshMs,
} from './metrics-window.js';

const fns = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `fn-${i}`, label: `Fn ${i}`, alias: 'prod' }));
const now = new Date('2026-02-03T07:00:42Z');

const pointsOf = (queries: { MetricStat: { Period: number } }[], seconds: number) =>
  queries.reduce((sum, q) => sum + seconds / q.MetricStat.Period, 0);

describe('metricsWindows', () => {
  it.each(metricsWindowIds)('%s fits one query in one call, in whole periods', (id) => {
    const { seconds, periodSeconds } = metricsWindows[id];
    expect(seconds % periodSeconds).toBe(0);
    expect(periodSeconds % 60).toBe(0);
    expect(seconds / periodSeconds).toBeLessThanOrEqual(getMetricDataLimits.maxDatapointsPerCall);
  });

  it('reads the week at 1-minute periods: 10,080 points per series', () => {
    expect(metricsWindows['7d'].seconds / metricsWindows['7d'].periodSeconds).toBe(10_080);
  });

  it('refreshes a window no faster than the configured interval, and coarse windows less often', () => {
    expect(windowRefreshMs('15m', 15_000)).toBe(15_000);
    expect(windowRefreshMs('24h', 15_000)).toBe(75_000);
    expect(windowRefreshMs('7d', 15_000)).toBe(302_400);
  });
});

describe('planMetricsWindow', () => {
  it('asks for every measure of every function in one call when it fits, ending at the last whole minute', () => {
    const plan = planMetricsWindow(fns(2), defaultLambdaMeasures, '1h', now);
    expect(plan.end.toISOString()).toBe('2026-02-03T07:00:00.000Z');
    expect(plan.start.toISOString()).toBe('2026-02-03T06:00:00.000Z');
    expect(plan.batches).toHaveLength(1);
    const queries = plan.batches[0]!;
    // 7 series + whole-window queries for the 3 statistics that can't be derived (avg, p50, p99).
    expect(queries).toHaveLength(2 * 10);
    expect(new Set(queries.map((q) => q.Id)).size).toBe(queries.length);
    for (const q of queries) expect(q.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    const p99Total = queries.find((q) => q.Label === 'fn-1 durationP99 total');
    expect(p99Total?.MetricStat).toMatchObject({ Period: 3600, Stat: 'p99' });
    expect(queries.find((q) => q.Label === 'fn-0 concurrency')?.MetricStat).toMatchObject({
      Period: 60,
      Stat: 'Maximum',
      Metric: { MetricName: 'ConcurrentExecutions', Dimensions: [{ Name: 'FunctionName', Value: 'fn-0' }] },
    });
  });

  it.each(metricsWindowIds)('splits %s for 200 functions into the fewest calls within every limit', (id) => {
    const { seconds } = metricsWindows[id];
    const plan = planMetricsWindow(fns(200), defaultLambdaMeasures, id, now);
    const totalQueries = plan.batches.reduce((n, b) => n + b.length, 0);
    expect(totalQueries).toBe(200 * 10);
    for (const batch of plan.batches) {
      expect(batch.length).toBeLessThanOrEqual(getMetricDataLimits.maxQueriesPerCall);
      expect(pointsOf(batch, seconds)).toBeLessThanOrEqual(getMetricDataLimits.maxDatapointsPerCall);
    }
    // Fewest: the query limit alone needs ceil(2000 / 500) calls, and no call holds a partial function.
    const perFunctionPoints = pointsOf(plan.batches[0]!.slice(0, 10), seconds);
    const byQueries = Math.floor(500 / 10);
    const byPoints = Math.floor(getMetricDataLimits.maxDatapointsPerCall / perFunctionPoints);
    expect(plan.batches).toHaveLength(Math.ceil(200 / Math.min(byQueries, byPoints)));
  });

  it('follows the alias when asked, through the Resource dimension', () => {
    const plan = planMetricsWindow(fns(1), defaultLambdaMeasures.slice(0, 1), '15m', now, 'alias');
    expect(plan.batches[0]![0]!.MetricStat.Metric.Dimensions).toEqual([
      { Name: 'FunctionName', Value: 'fn-0' },
      { Name: 'Resource', Value: 'fn-0:prod' },
    ]);
  });
});

describe('summarizeMetricsWindow', () => {
  const at = (hhmm: string) => new Date(`2026-02-03T${hhmm}:00Z`);
  const plan = planMetricsWindow(fns(1), defaultLambdaMeasures, '15m', now);
  const id = (label: string) => plan.batches[0]!.find((q) => q.Label === label)!.Id;

  it('merges pages, fills empty periods (0 for counts, null otherwise) and computes error rates', () => {
    const data = summarizeMetricsWindow(
      plan,
      fns(1),
      defaultLambdaMeasures,
      [
        { Id: id('fn-0 invocations'), Timestamps: [at('06:45'), at('06:46')], Values: [100, 50] },
        { Id: id('fn-0 invocations'), Timestamps: [at('06:59')], Values: [10] },
        { Id: id('fn-0 errors'), Timestamps: [at('06:46')], Values: [5] },
        { Id: id('fn-0 durationP99'), Timestamps: [at('06:45'), at('06:46')], Values: [4.123, 9.5] },
        { Id: id('fn-0 durationP99 total'), Timestamps: [at('06:45')], Values: [8.456] },
        { Id: id('fn-0 concurrency'), Timestamps: [at('06:45'), at('06:50')], Values: [3, 7] },
        // Outside the window: ignored.
        { Id: id('fn-0 invocations'), Timestamps: [at('07:00')], Values: [999] },
      ],
      'function',
      2,
    );
    expect(data.timestamps).toHaveLength(15);
    expect(data.timestamps[0]).toBe('2026-02-03T06:45:00.000Z');
    expect(data.getMetricDataCalls).toBe(2);
    const fn = data.functions[0]!;
    expect(fn.values.invocations!.slice(0, 3)).toEqual([100, 50, 0]);
    expect(fn.values.invocations!.at(-1)).toBe(10);
    expect(fn.values.durationP99!.slice(0, 3)).toEqual([4.12, 9.5, null]);
    expect(fn.totals).toMatchObject({
      invocations: 160,
      errors: 5,
      throttles: 0,
      durationP99: 8.46,
      concurrency: 7,
    });
    expect(fn.totals.durationAvg).toBeNull();
    expect(fn.errorRate).toBeCloseTo(5 / 160);
    expect(fn.errorRates.slice(0, 3)).toEqual([0, 0.1, null]);
    expect(fn.alias).toBeNull();
  });
});
