// Metrics degrade per statistic. Real CloudWatch answers every statistic; AWS-compatible
// endpoints (moto, some proxies) fail a whole GetMetricData call as soon as one query asks for
// a percentile. Then the call is retried in parts by statistic family, what answers is shown,
// and each query that did not answer carries why ("p99 unavailable from this endpoint: …").
import type { MetricQuery, MetricResult } from './lambda-metrics.js';

/** standard: CloudWatch's five basic statistics; percentile: pNN; extended: tm99, wm90, PR(…), IQM … */
export type StatisticFamily = 'standard' | 'percentile' | 'extended';

const standardStatistics = new Set(['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum']);

export function statisticFamily(stat: string): StatisticFamily {
  if (standardStatistics.has(stat)) return 'standard';
  if (/^p\d{1,3}(\.\d+)?$/.test(stat)) return 'percentile';
  return 'extended';
}

export interface StatisticBatch {
  family: StatisticFamily;
  /** The statistics it asks for, each once, in query order. */
  stats: string[];
  queries: MetricQuery[];
}

const familyOrder: StatisticFamily[] = ['standard', 'percentile', 'extended'];

/**
 * One call's queries split by statistic family (standard, then percentiles, then other extended
 * statistics), each in its original order. A batch already within GetMetricData's limits stays
 * within them when split.
 */
export function splitQueriesByStatistic(queries: MetricQuery[]): StatisticBatch[] {
  const batches = new Map<StatisticFamily, StatisticBatch>();
  for (const query of queries) {
    const stat = query.MetricStat.Stat;
    const family = statisticFamily(stat);
    const batch = batches.get(family) ?? { family, stats: [], queries: [] };
    if (!batch.stats.includes(stat)) batch.stats.push(stat);
    batch.queries.push(query);
    batches.set(family, batch);
  }
  return familyOrder.flatMap((family) => batches.get(family) ?? []);
}

export interface MeasureUnavailable {
  /** For the person reading the chart: "p99 unavailable from this endpoint: <error>". */
  reason: string;
}

/** What one GetMetricData call (with its pages) gave back: results, or the error it failed with. */
export type MetricBatchOutcome =
  { queries: MetricQuery[]; results: MetricResult[] } | { queries: MetricQuery[]; error: string };

export interface MergedMetricResults {
  /** Every result that answered, in the order the calls returned them (pages of one id follow each other). */
  results: MetricResult[];
  /** Query id → why it has no data. Empty when everything answered. */
  unavailable: Map<string, MeasureUnavailable>;
}

export function unavailableReason(stat: string, error: string): string {
  return `${stat} unavailable from this endpoint: ${error}`;
}

/** An error as one line: "InternalServiceFault: Percentile statistics are not supported". */
export function describeMetricError(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message.split('\n')[0]?.trim() || '(no message)';
    return error.name && error.name !== 'Error' ? `${error.name}: ${message}` : message;
  }
  return String(error);
}

/**
 * Joins the outcomes of one request's parts. A failed part marks each of its queries
 * unavailable with the error; a query answered with StatusCode InternalError or Forbidden
 * (CloudWatch's per-query failures) is marked with CloudWatch's own message.
 */
export function mergeMetricBatches(outcomes: MetricBatchOutcome[]): MergedMetricResults {
  const results: MetricResult[] = [];
  const unavailable = new Map<string, MeasureUnavailable>();
  for (const outcome of outcomes) {
    const statOf = new Map(outcome.queries.map((q) => [q.Id, q.MetricStat.Stat]));
    if ('error' in outcome) {
      for (const query of outcome.queries)
        unavailable.set(query.Id, { reason: unavailableReason(query.MetricStat.Stat, outcome.error) });
      continue;
    }
    for (const result of outcome.results) {
      if (result.Id && (result.StatusCode === 'InternalError' || result.StatusCode === 'Forbidden')) {
        const message =
          result.Messages?.map((m) => [m.Code, m.Value].filter(Boolean).join(': ')).find(Boolean) ??
          result.StatusCode;
        unavailable.set(result.Id, {
          reason: unavailableReason(statOf.get(result.Id) ?? 'this statistic', message),
        });
        continue;
      }
      results.push(result);
    }
  }
  // A later page that answered does not undo an earlier page's failure: the series would have gaps.
  return { results: results.filter((r) => !r.Id || !unavailable.has(r.Id)), unavailable };
}

/**
 * Whether a failed call is worth retrying in parts: the endpoint refused or failed the request
 * (a 4xx other than throttling and access, or a 5xx). Throttling, timeouts and network errors are
 * the whole endpoint's: more calls would only add to them.
 */
export function isStatisticRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof $metadata?.httpStatusCode === 'number' ? $metadata.httpStatusCode : null;
  if (status === null) return false; // no answer at all: network, timeout, abort
  const errorName = typeof name === 'string' ? name : '';
  if (status === 429 || /throttl|toomanyrequests|ratelimit/i.test(errorName)) return false;
  if (status === 401 || status === 403 || /accessdenied|unrecognizedclient|expiredtoken/i.test(errorName))
    return false;
  return status >= 400;
}

/** Kept by the caller between refreshes: once split calls were needed, later refreshes start split. */
export interface StatisticSplitMemory {
  split: boolean;
}

/**
 * GetMetricData for one batch of queries, degrading per statistic: one call when the endpoint
 * answers it; when it refuses, one call per statistic family, merging what answered. Throws the
 * original error when no part answered (the source then fails as a whole, with its last value).
 * `send` makes one request with all its pages; the caller counts its calls.
 */
export async function getMetricDataByStatistic(
  queries: MetricQuery[],
  send: (queries: MetricQuery[]) => Promise<MetricResult[]>,
  memory: StatisticSplitMemory = { split: false },
): Promise<MergedMetricResults> {
  const parts = splitQueriesByStatistic(queries);
  let firstError: unknown;
  if (!memory.split || parts.length < 2) {
    try {
      return mergeMetricBatches([{ queries, results: await send(queries) }]);
    } catch (error) {
      if (parts.length < 2 || !isStatisticRefusal(error)) throw error;
      firstError = error;
    }
  }
  const errors: unknown[] = [];
  const outcomes = await Promise.all(
    parts.map(async (part): Promise<MetricBatchOutcome> => {
      try {
        return { queries: part.queries, results: await send(part.queries) };
      } catch (error) {
        errors.push(error);
        return { queries: part.queries, error: describeMetricError(error) };
      }
    }),
  );
  // Throttled or unreachable while split: the endpoint's trouble, not a statistic's.
  const transient = errors.find((error) => !isStatisticRefusal(error));
  if (transient) throw transient;
  if (errors.length === parts.length) {
    memory.split = false; // nothing answered split either: try whole again next time
    throw firstError ?? errors[0];
  }
  memory.split = errors.length > 0;
  return mergeMetricBatches(outcomes);
}
