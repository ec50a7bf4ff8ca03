import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaMetrics } from '@flightdeck/contracts';
import {
  lambdaOverviewQueries,
  summarizeLambdaMetrics,
  type MetricFunction,
  type StatisticSplitMemory,
} from '@flightdeck/core';
import type { Source } from '../../../platform/sources/collector.js';
import { readMetricData } from '../../../platform/upstreams/metric-data.js';

/**
 * Invocations, errors and duration of every configured function in one batched GetMetricData
 * call; an endpoint that refuses percentiles still gives the counts, p99 marked unavailable.
 */
export class LambdaMetricsSource implements Source<LambdaMetrics> {
  private readonly statisticSplit: StatisticSplitMemory = { split: false };

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
    const { results, unavailable } = await readMetricData(
      this.cloudwatch,
      lambdaOverviewQueries(this.functions, this.windowMinutes),
      { start, end: endMinute },
      this.statisticSplit,
    );
    return summarizeLambdaMetrics(this.functions, results, this.windowMinutes, endMinute, unavailable);
  }
}
