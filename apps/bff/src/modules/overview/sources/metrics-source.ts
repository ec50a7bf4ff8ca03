import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { LambdaMetrics } from '@flightdeck/contracts';
import { lambdaOverviewQueries, summarizeLambdaMetrics, type MetricFunction } from '@flightdeck/core';
import type { Source } from '../../../platform/sources/collector.js';

/** Invocations, errors and duration of every configured function in one batched GetMetricData call. */
export class LambdaMetricsSource implements Source<LambdaMetrics> {
  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly functions: MetricFunction[],
    private readonly windowMinutes: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async fetch(): Promise<LambdaMetrics> {
    const end = this.now();
    // Whole minutes only: a partial current minute would read as a traffic drop.
    const endMinute = new Date(Math.floor(end.getTime() / 60_000) * 60_000);
    const start = new Date(endMinute.getTime() - this.windowMinutes * 60_000);
    const results: MetricDataResult[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: lambdaOverviewQueries(this.functions, this.windowMinutes),
          StartTime: start,
          EndTime: endMinute,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
      );
      results.push(...(page.MetricDataResults ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return summarizeLambdaMetrics(this.functions, results, this.windowMinutes, endMinute);
  }
}
