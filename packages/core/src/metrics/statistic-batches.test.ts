import { describe, expect, it } from 'vitest';
import {
  lambdaOverviewQueries,
  summarizeLambdaMetrics,
  type MetricQuery,
  type MetricResult,
} from './lambda-metrics.js';
import { defaultLambdaMeasures, planMetricsWindow, summarizeMetricsWindow } from './metrics-window.js';
import {
  describeMetricError,
  getMetricDataByStatistic,
  isStatisticRefusal,
  mergeMetricBatches,
  splitQueriesByStatistic,
  statisticFamily,
  type StatisticSplitMemory,
} from './statistic-batches.js';

const now = new Date('2026-02-03T07:00:42Z');
const fns = [{ name: 'api', label: 'API', alias: 'prod' }];

/** An SDK-like error: what the CloudWatch client throws for an HTTP answer. */
function awsError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** An endpoint like moto: one point per query, and a 500 for any request with a percentile in it. */
function percentileRefusingEndpoint() {
  const requests: string[][] = [];
  const send = async (queries: MetricQuery[]): Promise<MetricResult[]> => {
    requests.push(queries.map((q) => q.MetricStat.Stat));
    const percentile = queries.find((q) => /^p\d/.test(q.MetricStat.Stat));
    if (percentile)
      throw awsError(
        'InternalServiceFault',
        500,
        `Percentile statistics are not supported (${percentile.MetricStat.Stat})`,
      );
    return queries.map((q) => ({
      Id: q.Id,
      Timestamps: [new Date('2026-02-03T06:59:00Z')],
      Values: [q.MetricStat.Stat === 'Average' ? 4 : 10],
      StatusCode: 'Complete',
    }));
  };
  return { send, requests };
}

describe('statisticFamily and splitQueriesByStatistic', () => {
  it('tells the five basic statistics from percentiles and other extended statistics', () => {
    expect(['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum'].map(statisticFamily)).toEqual(
      Array(5).fill('standard'),
    );
    expect(['p99', 'p50', 'p99.9', 'p100'].map(statisticFamily)).toEqual(Array(4).fill('percentile'));
    expect(['tm99', 'wm90', 'TC(10%:90%)', 'IQM', 'PR(:300)'].map(statisticFamily)).toEqual(
      Array(5).fill('extended'),
    );
  });

  it('splits the metrics window’s batch into standard and percentile parts, keeping every query once, in order', () => {
    const queries = planMetricsWindow(fns, defaultLambdaMeasures, '1h', now).batches[0]!;
    const parts = splitQueriesByStatistic(queries);
    expect(parts.map((p) => [p.family, p.stats])).toEqual([
      ['standard', ['Sum', 'Average', 'Maximum']],
      ['percentile', ['p50', 'p99']],
    ]);
    expect(parts.flatMap((p) => p.queries).sort((a, b) => a.Id.localeCompare(b.Id))).toEqual(
      [...queries].sort((a, b) => a.Id.localeCompare(b.Id)),
    );
    expect(parts[1]!.queries.map((q) => q.Label)).toEqual([
      'api durationP50',
      'api durationP50 total',
      'api durationP99',
      'api durationP99 total',
    ]);
  });

  it('leaves a batch of one family whole', () => {
    const queries = lambdaOverviewQueries([{ name: 'api', label: 'API' }], 15).filter(
      (q) => q.MetricStat.Stat === 'Sum',
    );
    expect(splitQueriesByStatistic(queries)).toHaveLength(1);
  });
});

describe('mergeMetricBatches', () => {
  const queries = lambdaOverviewQueries([{ name: 'api', label: 'API' }], 15);
  const [standard, percentile] = splitQueriesByStatistic(queries);

  it('keeps what answered and marks each query of a failed part with its statistic and the error', () => {
    const merged = mergeMetricBatches([
      { queries: standard!.queries, results: [{ Id: 'f0_inv_series', Values: [1], Timestamps: [now] }] },
      { queries: percentile!.queries, error: 'InternalServiceFault: no percentiles here' },
    ]);
    expect(merged.results.map((r) => r.Id)).toEqual(['f0_inv_series']);
    expect(Object.fromEntries(merged.unavailable)).toEqual({
      f0_p99_series: {
        reason: 'p99 unavailable from this endpoint: InternalServiceFault: no percentiles here',
      },
      f0_p99_total: {
        reason: 'p99 unavailable from this endpoint: InternalServiceFault: no percentiles here',
      },
    });
  });

  it('marks a query CloudWatch answered with InternalError or Forbidden, with its message, and drops its pages', () => {
    const merged = mergeMetricBatches([
      {
        queries,
        results: [
          { Id: 'f0_p99_series', Values: [5], Timestamps: [now], StatusCode: 'PartialData' },
          {
            Id: 'f0_p99_series',
            StatusCode: 'InternalError',
            Messages: [{ Code: 'InternalError', Value: 'try later' }],
          },
          { Id: 'f0_avg_total', StatusCode: 'Forbidden' },
          { Id: 'f0_inv_total', Values: [3], Timestamps: [now], StatusCode: 'Complete' },
        ],
      },
    ]);
    expect(merged.results.map((r) => r.Id)).toEqual(['f0_inv_total']);
    expect(merged.unavailable.get('f0_p99_series')?.reason).toBe(
      'p99 unavailable from this endpoint: InternalError: try later',
    );
    expect(merged.unavailable.get('f0_avg_total')?.reason).toBe(
      'Average unavailable from this endpoint: Forbidden',
    );
  });
});

describe('isStatisticRefusal', () => {
  it('retries in parts on a 5xx or a validation refusal, not on throttling, access or no answer', () => {
    expect(isStatisticRefusal(awsError('InternalServiceFault', 500, 'x'))).toBe(true);
    expect(isStatisticRefusal(awsError('InvalidParameterValueException', 400, 'bad stat'))).toBe(true);
    expect(isStatisticRefusal(awsError('Throttling', 400, 'Rate exceeded'))).toBe(false);
    expect(isStatisticRefusal(awsError('TooManyRequestsException', 429, 'x'))).toBe(false);
    expect(isStatisticRefusal(awsError('AccessDeniedException', 403, 'x'))).toBe(false);
    expect(isStatisticRefusal(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))).toBe(
      false,
    );
    expect(isStatisticRefusal('boom')).toBe(false);
  });

  it('describes an SDK error in one line with its name', () => {
    expect(describeMetricError(awsError('InternalServiceFault', 500, 'no p99\nstack'))).toBe(
      'InternalServiceFault: no p99',
    );
    expect(describeMetricError(new Error('plain'))).toBe('plain');
  });
});

describe('getMetricDataByStatistic', () => {
  it('makes one call when the endpoint answers every statistic', async () => {
    const requests: number[] = [];
    const merged = await getMetricDataByStatistic(
      lambdaOverviewQueries([{ name: 'api', label: 'API' }], 15),
      async (qs) => {
        requests.push(qs.length);
        return qs.map((q) => ({ Id: q.Id, Values: [1], Timestamps: [now] }));
      },
    );
    expect(requests).toEqual([8]);
    expect(merged.unavailable.size).toBe(0);
    expect(merged.results).toHaveLength(8);
  });

  it('on an endpoint without percentiles, shows the metrics window’s other measures and marks p50 and p99', async () => {
    const endpoint = percentileRefusingEndpoint();
    const plan = planMetricsWindow(fns, defaultLambdaMeasures, '15m', now);
    const memory: StatisticSplitMemory = { split: false };
    const merged = await getMetricDataByStatistic(plan.batches[0]!, endpoint.send, memory);
    // the whole request, then its two parts
    expect(endpoint.requests.map((stats) => [...new Set(stats)])).toEqual([
      ['Sum', 'Average', 'p50', 'p99', 'Maximum'],
      ['Sum', 'Average', 'Maximum'],
      ['p50', 'p99'],
    ]);
    const data = summarizeMetricsWindow(
      plan,
      fns,
      defaultLambdaMeasures,
      merged.results,
      'function',
      3,
      merged.unavailable,
    );
    const fn = data.functions[0]!;
    expect(fn.totals).toMatchObject({
      invocations: 10,
      errors: 10,
      durationAvg: 4,
      durationP50: null,
      durationP99: null,
    });
    expect(fn.values.durationP99!.every((v) => v === null)).toBe(true);
    expect(fn.unavailable).toEqual({
      durationP50: {
        reason:
          'p50 unavailable from this endpoint: InternalServiceFault: Percentile statistics are not supported (p50)',
      },
      durationP99: {
        reason:
          'p99 unavailable from this endpoint: InternalServiceFault: Percentile statistics are not supported (p50)',
      },
    });

    // The next refresh goes straight to the parts: two calls, not three.
    endpoint.requests.length = 0;
    await getMetricDataByStatistic(plan.batches[0]!, endpoint.send, memory);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('on an endpoint without percentiles, the overview keeps invocations, errors and average, and marks p99', async () => {
    const endpoint = percentileRefusingEndpoint();
    const functions = [{ name: 'api', label: 'API' }];
    const merged = await getMetricDataByStatistic(lambdaOverviewQueries(functions, 15), endpoint.send);
    const summary = summarizeLambdaMetrics(functions, merged.results, 15, now, merged.unavailable);
    const fn = summary.functions[0]!;
    expect(fn).toMatchObject({
      invocations: 10,
      errors: 10,
      errorRate: 1,
      avgDurationMs: 4,
      p99DurationMs: null,
    });
    expect(Object.keys(fn.unavailable ?? {})).toEqual(['p99DurationMs']);
    expect(fn.unavailable?.p99DurationMs?.reason).toMatch(
      /^p99 unavailable from this endpoint: InternalServiceFault/,
    );
    // without markers (everything answered), the field is absent
    const complete = summarizeLambdaMetrics(functions, merged.results, 15, now);
    expect(complete.functions[0]).not.toHaveProperty('unavailable');
  });

  it('does not hide a whole-endpoint failure: throttling, or every part failing, throws as before', async () => {
    const queries = lambdaOverviewQueries([{ name: 'api', label: 'API' }], 15);
    let calls = 0;
    const throttled = awsError('Throttling', 400, 'Rate exceeded');
    await expect(
      getMetricDataByStatistic(queries, async () => {
        calls++;
        throw throttled;
      }),
    ).rejects.toBe(throttled);
    expect(calls).toBe(1);

    const down = awsError('InternalServiceFault', 500, 'down');
    calls = 0;
    const memory = { split: false };
    await expect(
      getMetricDataByStatistic(
        queries,
        async () => {
          calls++;
          throw down;
        },
        memory,
      ),
    ).rejects.toBe(down);
    expect(calls).toBe(3);
    expect(memory.split).toBe(false);
  });

  it('while split, a throttled part fails the refresh rather than passing for an unsupported statistic', async () => {
    const queries = lambdaOverviewQueries([{ name: 'api', label: 'API' }], 15);
    const throttled = awsError('Throttling', 400, 'Rate exceeded');
    await expect(
      getMetricDataByStatistic(
        queries,
        async (qs) => {
          if (qs.some((q) => q.MetricStat.Stat === 'p99')) throw throttled;
          return [];
        },
        { split: true },
      ),
    ).rejects.toBe(throttled);
  });
});
