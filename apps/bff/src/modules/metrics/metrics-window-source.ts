import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { MetricMeasure, MetricsWindowData, MetricsWindowId } from '@flightdeck/contracts';
import {
  planMetricsWindow,
  summarizeMetricsWindow,
  type MetricTarget,
  type MetricsScope,
} from '@flightdeck/core';
import type { Source } from '../../platform/sources/collector.js';

/** Every configured measure of every function over one chart window, in as few calls as the API allows. */
export class MetricsWindowSource implements Source<MetricsWindowData> {
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
    const pages = await Promise.all(
      plan.batches.map(async (queries) => {
        const results: MetricDataResult[] = [];
        let nextToken: string | undefined;
        do {
          calls++;
          const page = await this.cloudwatch.send(
            new GetMetricDataCommand({
              MetricDataQueries: queries,
              StartTime: plan.start,
              EndTime: plan.end,
              ScanBy: 'TimestampAscending',
              NextToken: nextToken,
            }),
          );
          results.push(...(page.MetricDataResults ?? []));
          nextToken = page.NextToken;
        } while (nextToken);
        return results;
      }),
    );
    return summarizeMetricsWindow(plan, this.functions, this.measures, pages.flat(), this.scope, calls);
  }
}
