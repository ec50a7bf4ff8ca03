import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DeployMarker, FunctionMetricSeries, MetricsWindowData } from '@flightdeck/contracts';
import { formatPercent } from '../../format';
import {
  chartGroups,
  chartRows,
  formatMeasure,
  markerColors,
  markerGlyphs,
  markerKindLabels,
  timeTick,
} from './chart-groups';

/** A marker's head on the chart: its kind's glyph, and on hover what happened (an SVG title). */
function MarkerHead({ marker, viewBox }: { marker: DeployMarker; viewBox?: { x?: number; y?: number } }) {
  const x = viewBox?.x ?? 0;
  const y = (viewBox?.y ?? 0) - 3;
  return (
    <g data-testid="chart-marker" data-kind={marker.kind} style={{ cursor: 'help' }}>
      <title>
        {`${markerKindLabels[marker.kind]} — ${marker.at.slice(0, 16).replace('T', ' ')} UTC — ${marker.title}${marker.detail ? ` (${marker.detail})` : ''}`}
      </title>
      <rect x={x - 7} y={y - 11} width={14} height={14} fill="transparent" />
      <text x={x} y={y} textAnchor="middle" fill={markerColors[marker.kind]} fontSize={11} fontWeight={700}>
        {markerGlyphs[marker.kind]}
      </text>
    </g>
  );
}

const palette = ['#2b6cb0', '#c02828', '#c05621', '#2f855a', '#6b46c1', '#b83280', '#4a5568'];

export function FunctionCharts({
  data,
  fn,
  markers,
}: {
  data: MetricsWindowData;
  fn: FunctionMetricSeries;
  markers: DeployMarker[];
}) {
  const rows = chartRows(data, fn);
  const start = Date.parse(data.start);
  const end = Date.parse(data.end);
  const windowSeconds = (end - start) / 1000;
  const groups = chartGroups(data.measures);
  // A function's own deploys and the database's; another function's alias move is not this one's.
  const ownMarkers = markers.filter((m) => m.functionName === null || m.functionName === fn.functionName);
  return (
    <article className="metrics-function" data-testid="metrics-function" data-function={fn.functionName}>
      <h3>
        {fn.label}
        {fn.alias && <span className="muted small"> alias {fn.alias}</span>}
      </h3>
      <p className="muted small mono">{fn.functionName}</p>
      <dl className="numbers numbers--wide" data-testid="metrics-totals">
        {data.measures.map((m) => (
          <div key={m.id}>
            <dt>{m.label}</dt>
            <dd data-testid={`total-${m.id}`} title={fn.unavailable?.[m.id]?.reason}>
              {fn.unavailable?.[m.id] ? 'unavailable' : formatMeasure(m.unit, fn.totals[m.id] ?? null)}
            </dd>
          </div>
        ))}
        <div>
          <dt>Error rate</dt>
          <dd data-testid="total-error-rate" className={(fn.errorRate ?? 0) > 0 ? 'bad' : 'ok'}>
            {formatPercent(fn.errorRate)}
          </dd>
        </div>
      </dl>
      <div className="metrics-charts">
        {groups.map((group) => (
          <figure
            key={group.key}
            className="metrics-chart"
            data-testid="metrics-chart"
            data-chart={group.key}
            aria-label={`${fn.label}: ${group.measures.map((m) => m.label).join(', ')}`}
          >
            <figcaption className="small muted">
              {group.title} (
              {data.periodSeconds >= 3600
                ? `${data.periodSeconds / 3600} h`
                : `${data.periodSeconds / 60} min`}{' '}
              periods, UTC)
            </figcaption>
            <ResponsiveContainer width="100%" height={170}>
              <LineChart data={rows} margin={{ top: 14, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid stroke="#eef1f6" vertical={false} />
                <XAxis
                  dataKey="ts"
                  type="number"
                  scale="time"
                  domain={[start, end]}
                  tickFormatter={(ts: number) => timeTick(ts, windowSeconds)}
                  fontSize={10}
                  minTickGap={28}
                />
                <YAxis fontSize={10} allowDecimals={group.unit === 'milliseconds'} />
                <Tooltip
                  labelFormatter={(ts) => new Date(Number(ts)).toISOString().slice(0, 16).replace('T', ' ')}
                  formatter={(value) => formatMeasure(group.unit, typeof value === 'number' ? value : null)}
                />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                {group.measures.map((m) => (
                  <Line
                    key={m.id}
                    dataKey={m.id}
                    name={m.label}
                    stroke={palette[data.measures.indexOf(m) % palette.length]}
                    dot={false}
                    strokeWidth={m.metric === 'Errors' ? 2 : 1.5}
                    connectNulls={false}
                    isAnimationActive={false}
                  />
                ))}
                {ownMarkers.map((marker) => (
                  <ReferenceLine
                    key={marker.id}
                    x={Date.parse(marker.at)}
                    stroke={markerColors[marker.kind]}
                    strokeDasharray="4 3"
                    // A deploy in the current, unfinished minute is still drawn, just past the last point.
                    ifOverflow="extendDomain"
                    label={(props: { viewBox?: { x?: number; y?: number } }) => (
                      <MarkerHead marker={marker} viewBox={props.viewBox} />
                    )}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </figure>
        ))}
      </div>
    </article>
  );
}
