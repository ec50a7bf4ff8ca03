import { lazy, Suspense } from 'react';
import type { FunctionAlias, FunctionMetrics } from '@flightdeck/contracts';
import { formatCount, formatMs, formatPercent } from '../../format';

// The charts' library is most of the SPA's weight: the numbers show first, the chart follows.
const FunctionSparkline = lazy(() =>
  import('./function-sparkline').then((m) => ({ default: m.FunctionSparkline })),
);

export function FunctionPanel({
  metrics,
  alias,
  windowMinutes,
}: {
  metrics: FunctionMetrics;
  alias: FunctionAlias | undefined;
  windowMinutes: number;
}) {
  return (
    <article className="function" data-testid="function-panel" data-function={metrics.functionName}>
      <h3>
        {metrics.label}
        {alias && (
          <span className="muted small">
            {' '}
            alias {alias.alias} → v{alias.aliasVersion ?? '?'}
          </span>
        )}
      </h3>
      <p className="muted small mono">{metrics.functionName}</p>
      <dl className="numbers">
        <div>
          <dt>Invocations</dt>
          <dd data-testid="fn-invocations">{formatCount(metrics.invocations)}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd data-testid="fn-errors" className={metrics.errors > 0 ? 'bad' : 'ok'}>
            {formatCount(metrics.errors)}
          </dd>
        </div>
        <div>
          <dt>Error rate</dt>
          <dd data-testid="fn-error-rate" className={(metrics.errorRate ?? 0) > 0 ? 'bad' : 'ok'}>
            {formatPercent(metrics.errorRate)}
          </dd>
        </div>
        <div>
          <dt>p99</dt>
          <dd data-testid="fn-p99" title={metrics.unavailable?.p99DurationMs?.reason}>
            {metrics.unavailable?.p99DurationMs ? 'unavailable' : formatMs(metrics.p99DurationMs)}
          </dd>
        </div>
      </dl>
      <div className="chart" aria-label={`Invocations and errors per minute, last ${windowMinutes} minutes`}>
        <Suspense fallback={<div className="chart-placeholder" style={{ height: 110 }} />}>
          <FunctionSparkline series={metrics.series} />
        </Suspense>
      </div>
      <p className="muted small">last {windowMinutes} minutes, per minute</p>
      {Object.values(metrics.unavailable ?? {}).map(({ reason }) => (
        <p key={reason} className="muted small" data-testid="fn-unavailable">
          {reason}
        </p>
      ))}
    </article>
  );
}
