import { describe, expect, it } from 'vitest';
import { pageOfDatapoints } from './metric-pages.js';

describe('GetMetricData pages', () => {
  it('fits everything in one page when under the limit', () => {
    expect(pageOfDatapoints([3, 2], 0, 100_800)).toEqual({
      slices: [
        { from: 0, to: 3, complete: true },
        { from: 0, to: 2, complete: true },
      ],
      more: false,
    });
  });

  it('counts the limit across queries and resumes where it stopped', () => {
    const first = pageOfDatapoints([4, 4, 4], 0, 5);
    expect(first.slices).toEqual([
      { from: 0, to: 4, complete: true },
      { from: 0, to: 1, complete: false },
      { from: 0, to: 0, complete: false },
    ]);
    expect(first.more).toBe(true);
    const second = pageOfDatapoints([4, 4, 4], 5, 5);
    expect(second.slices).toEqual([
      { from: 4, to: 4, complete: true },
      { from: 1, to: 4, complete: true },
      { from: 0, to: 2, complete: false },
    ]);
    const third = pageOfDatapoints([4, 4, 4], 10, 5);
    expect(third.slices[2]).toEqual({ from: 2, to: 4, complete: true });
    expect(third.more).toBe(false);
  });

  it('splits eleven week-long one-minute series at the 100,800 datapoint limit', () => {
    const week = 7 * 24 * 60;
    const page = pageOfDatapoints(Array(11).fill(week), 0, 100_800);
    expect(page.more).toBe(true);
    expect(page.slices.reduce((n, s) => n + s.to - s.from, 0)).toBe(100_800);
  });
});
