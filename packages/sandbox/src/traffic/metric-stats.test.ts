import { describe, expect, it } from 'vitest';
import { applyStat, isSupportedStat } from './metric-stats.js';

describe('statistics', () => {
  const samples = [4, 1, 3, 2, 10];
  it('computes the named statistics', () => {
    expect(applyStat('Sum', samples)).toBe(20);
    expect(applyStat('Average', samples)).toBe(4);
    expect(applyStat('Minimum', samples)).toBe(1);
    expect(applyStat('Maximum', samples)).toBe(10);
    expect(applyStat('SampleCount', samples)).toBe(5);
  });

  it('computes nearest-rank percentiles', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(applyStat('p50', hundred)).toBe(50);
    expect(applyStat('p99', hundred)).toBe(99);
    expect(applyStat('p99.9', hundred)).toBe(100);
    expect(applyStat('p90', samples)).toBe(10);
  });

  it('knows what it supports', () => {
    expect(['Sum', 'p95', 'p99.9', 'SampleCount'].every(isSupportedStat)).toBe(true);
    expect(['tm99', 'IQM', 'p', 'sum'].some(isSupportedStat)).toBe(false);
  });
});
