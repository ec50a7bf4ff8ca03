import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  getMetricDataByStatistic,
  type MergedMetricResults,
  type MetricQuery,
  type MetricResult,
  type StatisticSplitMemory,
} from '@flightdeck/core';

/**
 * GetMetricData for some queries over [start, end), every page read, degrading per statistic: an
 * endpoint that refuses percentiles still answers the sums and counts, and what it refused is
 * marked unavailable with its reason. `memory` is kept by the caller between refreshes.
 */
export async function readMetricData(
  cloudwatch: CloudWatchClient,
  queries: MetricQuery[],
  window: { start: Date; end: Date },
  memory: StatisticSplitMemory,
  onCall: () => void = () => undefined,
): Promise<MergedMetricResults> {
  const allPages = async (part: MetricQuery[]): Promise<MetricResult[]> => {
    const results: MetricResult[] = [];
    let nextToken: string | undefined;
    do {
      onCall();
      const page = await cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: part,
          StartTime: window.start,
          EndTime: window.end,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
      );
      results.push(...((page.MetricDataResults ?? []) as MetricResult[]));
      nextToken = page.NextToken;
    } while (nextToken);
    return results;
  };
  return getMetricDataByStatistic(queries, allPages, memory);
}
