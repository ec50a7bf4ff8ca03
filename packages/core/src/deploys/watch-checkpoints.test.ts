import { describe, expect, it } from 'vitest';
import { compareCheckpoint, dueCheckpoints } from './watch-checkpoints.js';

const baseline = { invocations: 1000, errors: 0, p99Ms: 5, schemaErrors: 0 };

describe('watch checkpoints', () => {
  it('finds nothing moved when the checkpoint matches the baseline', () => {
    expect(
      compareCheckpoint(
        baseline,
        { invocations: 990, errors: 0, p99Ms: 5.5, schemaErrors: 0 },
        { p99TolerancePercent: 20 },
      ),
    ).toMatchObject({
      regressed: false,
      changes: [],
    });
  });

  it('says what moved on a regression', () => {
    const c = compareCheckpoint(
      baseline,
      { invocations: 1000, errors: 20, p99Ms: 9, schemaErrors: 2 },
      { p99TolerancePercent: 20 },
    );
    expect(c.regressed).toBe(true);
    expect(c.changes).toEqual([
      'error rate 0.00 % → 2.00 % (20 errors)',
      'p99 5.0 ms → 9.0 ms (over 20 %)',
      '2 schema errors in the logs',
    ]);
  });

  it('holds each function to its own baseline p99: only the worker doubling is a regression', () => {
    const fn = (functionName: string, label: string, p99Ms: number) => ({
      functionName,
      label,
      invocations: 500,
      p99Ms,
    });
    const before = {
      ...baseline,
      p99Ms: 642,
      p99ByFunction: [fn('api', 'Backend API', 25), fn('worker', 'Worker', 642)],
    };
    const c = compareCheckpoint(
      before,
      {
        ...baseline,
        p99Ms: 900,
        p99ByFunction: [fn('api', 'Backend API', 26), fn('worker', 'Worker', 1364)],
      },
      { p99TolerancePercent: 50 },
    );
    // The pooled figure (900 ms against 642 ms + 50 %) would have passed.
    expect(c.changes).toEqual(['Worker: p99 642.0 ms → 1364.0 ms (over 50 %)']);
  });

  it('lists the checkpoints that are due and not yet recorded', () => {
    const migratedAt = '2026-02-03T07:00:00Z';
    expect(dueCheckpoints(migratedAt, '2026-02-03T07:59:00Z', [1, 6, 24], [])).toEqual([]);
    expect(dueCheckpoints(migratedAt, '2026-02-03T13:00:00Z', [1, 6, 24], [1])).toEqual([6]);
    expect(dueCheckpoints(migratedAt, '2026-02-04T08:00:00Z', [24, 1, 6], [])).toEqual([1, 6, 24]);
  });
});
