import { describe, expect, it } from 'vitest';
import { errorRateAfterRollback } from './error-rate-after.js';

const at = (minute: number) => new Date(Date.parse('2026-02-03T10:00:00Z') + minute * 60_000).toISOString();
const series = (rates: Array<[number, number]>) =>
  rates.map(([invocations, errors], k) => ({ t: at(k), invocations, errors, p99DurationMs: 5 }));

describe('the error rate after a rollback', () => {
  // Minutes 0-9 fail 5 of 100; the rollback runs during minute 10; minutes 11+ are clean.
  const failingThenClean = series([
    ...Array.from({ length: 10 }, (): [number, number] => [100, 5]),
    [100, 3],
    [100, 0],
    [100, 0],
    [100, 0],
  ]);

  it('falls: the minutes since the rollback against the minutes before it', () => {
    expect(errorRateAfterRollback(failingThenClean, at(10.2), at(10.5))).toEqual({
      check: 'error rate',
      ok: true,
      pending: false,
      detail: 'Error rate fell: 5.00 % in the 10 min before → 0.00 % in the 2 min since',
    });
  });

  it('is pending until a whole minute after the rollback has traffic', () => {
    const check = errorRateAfterRollback(failingThenClean.slice(0, 12), at(10.2), at(10.5));
    expect(check).toMatchObject({ ok: false, pending: true });
    expect(check.detail).toContain('5.00 % in the 10 min before; waiting');
  });

  it('did not fall when the errors go on', () => {
    const still = series(Array.from({ length: 14 }, (): [number, number] => [100, 5]));
    expect(errorRateAfterRollback(still, at(10.2), at(10.5))).toMatchObject({
      ok: false,
      pending: false,
      detail: 'Error rate did not fall: 5.00 % in the 10 min before → 5.00 % in the 2 min since',
    });
  });
});
