import { Bar, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint } from '@flightdeck/contracts';

const timeOfDay = (iso: string) => iso.slice(11, 16);

/** Invocations (bars) and errors (line) per minute; loaded after the numbers, with the charts' library. */
export function FunctionSparkline({ series }: { series: MetricPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={110}>
      <ComposedChart data={series} margin={{ top: 4, right: 4, bottom: 0, left: -24 }}>
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
  );
}
