/** CloudWatch statistics over one period's samples. */

const percentile = /^p(\d{1,2}(?:\.\d{1,3})?|100)$/;
const namedStats = new Set(['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount']);

export function isSupportedStat(stat: string): boolean {
  return namedStats.has(stat) || percentile.test(stat);
}

/** Applies `stat` to non-empty samples; percentiles use the nearest rank. */
export function applyStat(stat: string, samples: Float64Array | number[]): number {
  const n = samples.length;
  switch (stat) {
    case 'SampleCount':
      return n;
    case 'Sum': {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += samples[i]!;
      return round(sum);
    }
    case 'Average': {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += samples[i]!;
      return round(sum / n);
    }
    case 'Minimum': {
      let min = Infinity;
      for (let i = 0; i < n; i++) min = Math.min(min, samples[i]!);
      return min;
    }
    case 'Maximum': {
      let max = -Infinity;
      for (let i = 0; i < n; i++) max = Math.max(max, samples[i]!);
      return max;
    }
    default: {
      const match = percentile.exec(stat);
      if (!match) throw new Error(`unsupported statistic ${stat}`);
      const p = Number(match[1]);
      const sorted = Float64Array.from(samples).sort();
      const rank = Math.max(1, Math.ceil((p / 100) * n));
      return sorted[Math.min(n, rank) - 1]!;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
