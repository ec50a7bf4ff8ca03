import { describe, expect, it } from 'vitest';
import { chartIndexes, extremeIndexes, lttbIndexes } from './downsample.js';

/** A week at 1-minute periods: a daily wave with noise, one spike and one dip. */
function week(seed: number): (number | null)[] {
  let state = seed;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 10;
  return Array.from({ length: 10_080 }, (_, i) => {
    if (i === 4_321) return 900;
    if (i === 7_777) return -50;
    return Math.round(100 + 60 * Math.sin((i / 1440) * 2 * Math.PI) + noise());
  });
}

describe('lttbIndexes', () => {
  it('keeps the first and last point and exactly `threshold` points, in order', () => {
    const kept = lttbIndexes(week(1), 500);
    expect(kept).toHaveLength(500);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(10_079);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });

  it('picks the point that shapes the line: a lone spike survives', () => {
    const flat = Array.from({ length: 1_000 }, (_, i) => (i === 437 ? 50 : 1));
    expect(lttbIndexes(flat, 20)).toContain(437);
  });

  it('returns every present point when there are fewer than asked, and skips gaps', () => {
    expect(lttbIndexes([1, null, 3, 4], 10)).toEqual([0, 2, 3]);
  });
});

describe('extremeIndexes', () => {
  it('finds the true minimum and maximum', () => {
    expect(extremeIndexes([3, null, 9, -2, 9])).toEqual([3, 2]);
    expect(extremeIndexes([null, null])).toEqual([]);
  });
});

describe('chartIndexes', () => {
  const series = [week(1), week(2), week(3), week(4)];

  it('fits the budget and keeps each series’ true min and max', () => {
    const kept = chartIndexes(series, 800);
    expect(kept.length).toBeLessThanOrEqual(800);
    expect(kept.length).toBeGreaterThan(400);
    const keptSet = new Set(kept);
    for (const values of series) {
      const shown = kept.map((i) => values[i] as number);
      expect(Math.max(...shown)).toBe(900);
      expect(Math.min(...shown)).toBe(-50);
      for (const i of extremeIndexes(values)) expect(keptSet.has(i)).toBe(true);
    }
  });

  it('keeps the edges of a gap so the chart still shows it', () => {
    const withGap = week(5).map((v, i) => (i >= 2_000 && i < 2_400 ? null : v));
    const kept = new Set(chartIndexes([withGap], 300));
    expect(kept.has(2_000)).toBe(true);
    expect(kept.has(2_399)).toBe(true);
  });

  it('leaves a short window alone', () => {
    expect(chartIndexes([[1, 2, 3]], 800)).toEqual([0, 1, 2]);
  });
});
