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

  it('lists the checkpoints that are due and not yet recorded', () => {
    const migratedAt = '2026-02-03T07:00:00Z';
    expect(dueCheckpoints(migratedAt, '2026-02-03T07:59:00Z', [1, 6, 24], [])).toEqual([]);
    expect(dueCheckpoints(migratedAt, '2026-02-03T13:00:00Z', [1, 6, 24], [1])).toEqual([6]);
    expect(dueCheckpoints(migratedAt, '2026-02-04T08:00:00Z', [24, 1, 6], [])).toEqual([1, 6, 24]);
  });
});
