import type { MetricMeasure, MetricsWindowData } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { chartGroups, chartRows, describeComparison, timeTick } from './chart-groups';

const measure = (id: string, metric: string, stat: string, unit: MetricMeasure['unit']): MetricMeasure => ({
  id,
  label: id,
  metric,
  stat,
  unit,
});
const measures = [
  measure('invocations', 'Invocations', 'Sum', 'count'),
  measure('errors', 'Errors', 'Sum', 'count'),
  measure('p99', 'Duration', 'p99', 'milliseconds'),
  measure('concurrency', 'ConcurrentExecutions', 'Maximum', 'count'),
];

describe('chartGroups', () => {
  it('puts sums, durations and peaks on separate axes, whatever config lists', () => {
    expect(chartGroups(measures).map((g) => [g.key, g.measures.map((m) => m.id)])).toEqual([
      ['totals', ['invocations', 'errors']],
      ['duration', ['p99']],
      ['levels', ['concurrency']],
    ]);
    expect(chartGroups(measures.slice(2, 3)).map((g) => g.key)).toEqual(['duration']);
  });
});

describe('chartRows', () => {
  it('turns the columns into one row per period on a time axis', () => {
    const data = {
      timestamps: ['2026-02-03T07:00:00.000Z', '2026-02-03T07:01:00.000Z'],
      measures: measures.slice(0, 2),
    } as MetricsWindowData;
    const fn = {
      values: { invocations: [5, 7], errors: [0, 1] },
    } as unknown as MetricsWindowData['functions'][number];
    expect(chartRows(data, fn)).toEqual([
      { ts: Date.parse('2026-02-03T07:00:00Z'), invocations: 5, errors: 0 },
      { ts: Date.parse('2026-02-03T07:01:00Z'), invocations: 7, errors: 1 },
    ]);
  });
});

describe('describeComparison', () => {
  const side = (p99: number | null, errors: number, invocations: number, minutes = 10) => ({
    minutes,
    invocations,
    errors,
    errorRate: invocations ? errors / invocations : null,
    avgDurationMs: null,
    p99DurationMs: p99,
  });

  it('reads like the on-call channel would write it', () => {
    expect(describeComparison(side(4.1, 12, 1200), side(3.8, 0, 1100), 10)).toBe(
      'p99 4.1 ms → 3.8 ms, errors 12 → 0, error rate 1.0% → 0% in the 10 minutes after',
    );
  });

  it('claims nothing before a whole minute after the deploy has passed', () => {
    expect(describeComparison(side(34, 56, 1200), side(null, 0, 0, 0), 10)).toBe(
      'waiting for the first whole minute after this deploy',
    );
  });

  it('says when the after side is still filling', () => {
    expect(describeComparison(side(4.1, 1, 10), side(3.8, 0, 10, 3), 10)).toMatch(
      /in the 3 minutes after so far$/,
    );
  });

  it('says "1 minute", not "1 minutes"', () => {
    expect(describeComparison(side(4.1, 1, 10), side(3.8, 0, 10, 1), 10)).toMatch(
      /in the 1 minute after so far$/,
    );
    expect(describeComparison(side(4.1, 1, 10, 1), side(3.8, 0, 10, 1), 1)).toMatch(/in the 1 minute after$/);
  });
});

describe('timeTick', () => {
  it('shows UTC times, and dates for the 7-day window', () => {
    const ts = Date.parse('2026-02-03T07:05:00Z');
    expect(timeTick(ts, 3600)).toBe('07:05');
    expect(timeTick(ts, 7 * 86400)).toBe('02-03 07h');
  });
});
