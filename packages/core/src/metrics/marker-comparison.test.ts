import { describe, expect, it } from 'vitest';
import { compareAroundMarker } from './marker-comparison.js';
import { defaultLambdaMeasures, planMetricsWindow, summarizeMetricsWindow } from './metrics-window.js';

const fn = { name: 'api', label: 'Backend API', alias: 'prod' };
const now = new Date('2026-02-03T07:30:00Z');

/** A 1-hour window where the deploy at 07:10:30 stops the errors and speeds up p99. */
function windowWithDeploy() {
  const plan = planMetricsWindow([fn], defaultLambdaMeasures, '1h', now);
  const q = (label: string) => plan.batches[0]!.find((x) => x.Label === `api ${label}`)!.Id;
  const minutes = Array.from({ length: 60 }, (_, i) => new Date(plan.start.getTime() + i * 60_000));
  const beforeDeploy = (t: Date) => t.getTime() < Date.parse('2026-02-03T07:10:00Z');
  return summarizeMetricsWindow(
    plan,
    [fn],
    defaultLambdaMeasures,
    [
      { Id: q('invocations'), Timestamps: minutes, Values: minutes.map(() => 100) },
      { Id: q('errors'), Timestamps: minutes, Values: minutes.map((t) => (beforeDeploy(t) ? 2 : 0)) },
      {
        Id: q('durationP99'),
        Timestamps: minutes,
        Values: minutes.map((t) => (beforeDeploy(t) ? 4.1 : 3.8)),
      },
      { Id: q('durationAvg'), Timestamps: minutes, Values: minutes.map((t) => (beforeDeploy(t) ? 4 : 3)) },
    ],
    'function',
    1,
  );
}

describe('compareAroundMarker', () => {
  it('gives the 10 minutes before and after, leaving out the minute of the deploy', () => {
    const comparison = compareAroundMarker(windowWithDeploy(), { id: 'm1', at: '2026-02-03T07:10:30Z' }, 10);
    expect(comparison?.minutes).toBe(10);
    expect(comparison?.functions[0]).toEqual({
      functionName: 'api',
      label: 'Backend API',
      before: {
        minutes: 10,
        invocations: 1000,
        errors: 20,
        errorRate: 0.02,
        avgDurationMs: 4,
        p99DurationMs: 4.1,
      },
      after: {
        minutes: 10,
        invocations: 1000,
        errors: 0,
        errorRate: 0,
        avgDurationMs: 3,
        p99DurationMs: 3.8,
      },
    });
  });

  it('says how much of the after side exists when the deploy was just now', () => {
    const comparison = compareAroundMarker(windowWithDeploy(), { id: 'm2', at: '2026-02-03T07:25:10Z' }, 10);
    expect(comparison?.functions[0]?.after.minutes).toBe(4);
    expect(comparison?.functions[0]?.before.minutes).toBe(10);
  });

  it('compares only the function a marker is about', () => {
    const comparison = compareAroundMarker(
      windowWithDeploy(),
      { id: 'alias', at: '2026-02-03T07:10:30Z', functionName: 'other-fn' },
      10,
    );
    expect(comparison?.functions).toEqual([]);
  });

  it('is null for a marker outside the window', () => {
    expect(compareAroundMarker(windowWithDeploy(), { id: 'old', at: '2026-02-03T05:00:00Z' }, 10)).toBeNull();
  });

  it('widens to whole periods on a coarse window', () => {
    const plan = planMetricsWindow([fn], defaultLambdaMeasures, '24h', now);
    const data = summarizeMetricsWindow(plan, [fn], defaultLambdaMeasures, [], 'function', 1);
    const comparison = compareAroundMarker(data, { id: 'm', at: '2026-02-02T12:00:00Z' }, 7);
    expect(comparison?.minutes).toBe(10);
    expect(comparison?.functions[0]?.after).toMatchObject({
      invocations: 0,
      errorRate: null,
      p99DurationMs: null,
    });
  });
});
