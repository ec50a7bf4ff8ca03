import { describe, expect, it } from 'vitest';
import { downsampleMetricsWindow } from './chart-window.js';
import { defaultLambdaMeasures, planMetricsWindow, summarizeMetricsWindow } from './metrics-window.js';

const fn = { name: 'api', label: 'API', alias: 'prod' };
const now = new Date('2026-02-03T07:00:42Z');

describe('downsampleMetricsWindow', () => {
  const plan = planMetricsWindow([fn], defaultLambdaMeasures, '7d', now);
  const id = (label: string) => plan.batches[0]!.find((q) => q.Label === label)!.Id;
  const start = plan.start.getTime();
  const minutes = Array.from({ length: 10_080 }, (_, i) => new Date(start + i * 60_000));
  const week = summarizeMetricsWindow(
    plan,
    [fn],
    defaultLambdaMeasures,
    [
      {
        Id: id('api invocations'),
        Timestamps: minutes,
        Values: minutes.map((_, i) => 100 + (i % 60)),
      },
      // One minute of errors in a week: the chart must still show it.
      { Id: id('api errors'), Timestamps: [minutes[6_000]!], Values: [42] },
    ],
    'function',
    1,
  );

  it('draws a week of minutes in at most the chart’s points, with every column aligned', () => {
    const chart = downsampleMetricsWindow(week, 1_000);
    expect(week.timestamps).toHaveLength(10_080);
    expect(chart.downsampledFrom).toBe(10_080);
    expect(chart.timestamps.length).toBeLessThanOrEqual(1_000);
    const f = chart.functions[0]!;
    for (const m of defaultLambdaMeasures) expect(f.values[m.id]).toHaveLength(chart.timestamps.length);
    expect(f.errorRates).toHaveLength(chart.timestamps.length);
  });

  it('keeps the lone error minute and the true peak, and the whole-window totals', () => {
    const chart = downsampleMetricsWindow(week, 1_000);
    const f = chart.functions[0]!;
    expect(Math.max(...(f.values.errors as number[]))).toBe(42);
    expect(chart.timestamps).toContain(minutes[6_000]!.toISOString());
    expect(Math.max(...(f.values.invocations as number[]))).toBe(159);
    expect(f.totals).toEqual(week.functions[0]!.totals);
  });

  it('returns a short window unchanged', () => {
    const plan15 = planMetricsWindow([fn], defaultLambdaMeasures, '15m', now);
    const small = summarizeMetricsWindow(plan15, [fn], defaultLambdaMeasures, [], 'function', 1);
    expect(downsampleMetricsWindow(small, 1_000)).toBe(small);
  });
});
