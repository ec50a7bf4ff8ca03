import { describe, expect, it } from 'vitest';
import { lambdaOverviewQueries, summarizeLambdaMetrics } from './lambda-metrics.js';

const fns = [
  { name: 'api', label: 'API' },
  { name: 'worker', label: 'Worker' },
];
const end = new Date('2026-02-03T07:00:30Z');
const at = (hhmm: string) => new Date(`2026-02-03T${hhmm}:00Z`);

describe('lambdaOverviewQueries', () => {
  it('asks for a minute series and a whole-window total per measure and function, with valid ids', () => {
    const queries = lambdaOverviewQueries(fns, 15);
    expect(queries).toHaveLength(16);
    expect(new Set(queries.map((q) => q.Id)).size).toBe(16);
    for (const q of queries) expect(q.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    expect(queries.find((q) => q.Id === 'f1_p99_total')?.MetricStat).toMatchObject({
      Period: 900,
      Stat: 'p99',
    });
  });
});

describe('summarizeLambdaMetrics', () => {
  it('merges pages, fills empty minutes with zero and computes the error rate', () => {
    const summary = summarizeLambdaMetrics(
      fns,
      [
        { Id: 'f0_inv_series', Timestamps: [at('06:59')], Values: [100] },
        { Id: 'f0_inv_series', Timestamps: [at('06:58')], Values: [120] },
        { Id: 'f0_err_series', Timestamps: [at('06:59')], Values: [5] },
        { Id: 'f0_inv_total', Timestamps: [at('06:45')], Values: [1500] },
        { Id: 'f0_err_total', Timestamps: [at('06:45')], Values: [30] },
        { Id: 'f0_p99_total', Timestamps: [at('06:45')], Values: [11.456] },
      ],
      15,
      end,
    );
    const api = summary.functions[0]!;
    expect(api.invocations).toBe(1500);
    expect(api.errors).toBe(30);
    expect(api.errorRate).toBeCloseTo(0.02);
    expect(api.p99DurationMs).toBe(11.46);
    expect(api.series).toHaveLength(15);
    expect(api.series.at(-1)).toMatchObject({ t: '2026-02-03T06:59:00.000Z', invocations: 100, errors: 5 });
    expect(api.series.at(-3)?.invocations).toBe(0);
    const worker = summary.functions[1]!;
    expect(worker.errorRate).toBeNull();
  });
});
