import type { MetricPoint } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { describeEpisode, errorEpisodes } from './deploy-record.js';

const at = (minute: number) => new Date(Date.UTC(2026, 1, 3, 7, minute)).toISOString();
const point = (minute: number, invocations: number, errors: number): MetricPoint => ({
  t: at(minute),
  invocations,
  errors,
  p99DurationMs: 20,
});

describe('error episodes from a per-minute series', () => {
  it('opens at the first whole minute with errors and ends at the first with traffic and none, with the counts', () => {
    const series = [
      point(0, 10, 0),
      point(1, 12, 20),
      point(2, 0, 0), // no traffic: neither ends nor starts one
      point(3, 10, 2),
      point(4, 11, 0),
      point(5, 9, 0),
    ];
    expect(errorEpisodes(series, at(0), at(6))).toEqual([
      { startedAt: at(1), endedAt: at(4), errors: 22, invocations: 22, minutes: 2 },
    ]);
    expect(describeEpisode('Backend API', errorEpisodes(series, at(0), at(6))[0]!).stopped).toBe(
      'Backend API: errors stopped after 2 min — 22 errors in 22 invocations (100.00 %); back to zero at 07:04 UTC',
    );
  });

  it('leaves out a minute still running (it may still be filling) and keeps an episode open until a clean minute', () => {
    // Minute 3 has no errors yet, but it is still running at 07:03:30: the episode is still open.
    const series = [point(1, 10, 0), point(2, 10, 5), point(3, 4, 0)];
    const running = new Date(Date.UTC(2026, 1, 3, 7, 3, 30)).toISOString();
    expect(errorEpisodes(series, at(0), running)).toEqual([
      { startedAt: at(2), endedAt: null, errors: 5, invocations: 10, minutes: 1 },
    ]);
    // Once it is over, a source that gives whole minutes only is read to its last point.
    expect(errorEpisodes(series, at(0), at(4))[0]!.endedAt).toBe(at(3));
  });

  it('ignores the minutes before the deploy was prepared', () => {
    const series = [point(1, 10, 3), point(2, 10, 0), point(3, 10, 1), point(4, 10, 0), point(5, 1, 0)];
    expect(errorEpisodes(series, at(3), at(6)).map((e) => e.startedAt)).toEqual([at(3)]);
  });

  it('finds the same episodes however often it is asked (the keys of the events are made from them)', () => {
    const series = [point(1, 10, 1), point(2, 10, 0), point(3, 10, 4), point(4, 10, 0), point(5, 1, 0)];
    expect(errorEpisodes(series, at(0), at(6))).toEqual(errorEpisodes([...series].reverse(), at(0), at(6)));
    expect(errorEpisodes(series, at(0), at(6))).toHaveLength(2);
  });
});
