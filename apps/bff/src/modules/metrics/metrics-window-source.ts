import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { MetricMeasure, MetricsWindowData, MetricsWindowId } from '@flightdeck/contracts';
import {
  planMetricsWindow,
  summarizeMetricsWindow,
  type MetricTarget,
  type MetricsScope,
  type StatisticSplitMemory,
} from '@flightdeck/core';
import type { Source } from '../../platform/sources/collector.js';
import { readMetricData } from '../../platform/upstreams/metric-data.js';

/**
 * Every configured measure of every function over one chart window, in as few calls as the API
 * allows; a statistic the endpoint refuses is marked unavailable, the rest still charted.
 */
export class MetricsWindowSource implements Source<MetricsWindowData> {
  private readonly statisticSplit: StatisticSplitMemory = { split: false };

  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly functions: MetricTarget[],
    private readonly measures: MetricMeasure[],
    private readonly window: MetricsWindowId,
    private readonly scope: MetricsScope,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async fetch(): Promise<MetricsWindowData> {
    const plan = planMetricsWindow(this.functions, this.measures, this.window, this.now(), this.scope);
    let calls = 0;
    const merged = await Promise.all(
      plan.batches.map((queries) =>
        readMetricData(this.cloudwatch, queries, plan, this.statisticSplit, () => calls++),
      ),
    );
    return summarizeMetricsWindow(
      plan,
      this.functions,
      this.measures,
      merged.flatMap((m) => m.results),
      this.scope,
      calls,
      new Map(merged.flatMap((m) => [...m.unavailable])),
    );
  }
}
