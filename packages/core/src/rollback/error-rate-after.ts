import type { MetricPoint } from '@flightdeck/contracts';

export interface ErrorRateCheck {
  check: 'error rate';
  ok: boolean;
  /** Not enough traffic after the rollback yet to judge. */
  pending: boolean;
  detail: string;
}

const minuteMs = 60_000;
const percent = (errors: number, invocations: number) =>
  invocations === 0 ? '0.00 %' : `${((errors / invocations) * 100).toFixed(2)} %`;

/**
 * Did the error rate fall after a rollback? The function's whole minutes before it started (up to
 * `minutes`) against the whole minutes since it finished, as far as the series reaches. Passes when
 * the rate after is zero or lower than before; pending until a minute after has traffic.
 */
export function errorRateAfterRollback(
  series: MetricPoint[],
  startedAt: string,
  finishedAt: string,
  minutes = 10,
): ErrorRateCheck {
  const started = Date.parse(startedAt);
  const finished = Date.parse(finishedAt);
  const sum = (points: MetricPoint[]) =>
    points.reduce((s, p) => ({ invocations: s.invocations + p.invocations, errors: s.errors + p.errors }), {
      invocations: 0,
      errors: 0,
    });
  const before = sum(
    series.filter((p) => {
      const t = Date.parse(p.t);
      return t + minuteMs <= started && t >= started - minutes * minuteMs;
    }),
  );
  const afterPoints = series
    .filter((p) => Date.parse(p.t) >= finished)
    .slice(0, minutes)
    // The newest minute may still be filling; only whole minutes behind the newest point count.
    .filter((p) => series.some((q) => Date.parse(q.t) > Date.parse(p.t)));
  const after = sum(afterPoints);
  const beforeText = `${percent(before.errors, before.invocations)} in the ${minutes} min before`;
  if (after.invocations === 0)
    return {
      check: 'error rate',
      ok: false,
      pending: true,
      detail: `Error rate: ${beforeText}; waiting for a whole minute of traffic after the rollback`,
    };
  const rateBefore = before.invocations === 0 ? 0 : before.errors / before.invocations;
  const rateAfter = after.errors / after.invocations;
  const ok = after.errors === 0 || rateAfter < rateBefore;
  return {
    check: 'error rate',
    ok,
    pending: false,
    detail: `Error rate ${ok ? (after.errors === 0 && before.errors === 0 ? 'stays at zero' : 'fell') : 'did not fall'}: ${beforeText} → ${percent(after.errors, after.invocations)} in the ${afterPoints.length} min since`,
  };
}
