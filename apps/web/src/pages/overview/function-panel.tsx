import { Bar, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FunctionAlias, FunctionMetrics } from '@flightdeck/contracts';
import { formatCount, formatMs, formatPercent } from '../../format';

const timeOfDay = (iso: string) => iso.slice(11, 16);

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
          <dd data-testid="fn-p99">{formatMs(metrics.p99DurationMs)}</dd>
        </div>
      </dl>
      <div className="chart" aria-label={`Invocations and errors per minute, last ${windowMinutes} minutes`}>
        <ResponsiveContainer width="100%" height={110}>
          <ComposedChart data={metrics.series} margin={{ top: 4, right: 4, bottom: 0, left: -24 }}>
            <XAxis dataKey="t" tickFormatter={timeOfDay} fontSize={10} minTickGap={24} />
            <YAxis fontSize={10} allowDecimals={false} />
            <Tooltip labelFormatter={(t) => timeOfDay(String(t))} />
            <Bar dataKey="invocations" name="invocations" fill="#6b8cce" isAnimationActive={false} />
            <Line
              dataKey="errors"
              name="errors"
              stroke="#d64545"
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="muted small">last {windowMinutes} minutes, per minute</p>
    </article>
  );
}
