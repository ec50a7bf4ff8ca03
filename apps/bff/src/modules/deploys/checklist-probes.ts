// The readings of the rule types that fetch their own data: a URL, a read-only query, CloudWatch
// alarms and metrics. Each reading is an answer or its error, never a throw: an item fails with
// what went wrong, and the other items go on.
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmReading, ChecklistRule, HttpReading, MetricReading, SqlReading } from '@flightdeck/core';
import type { TargetDatabase } from '../../platform/upstreams/target-database.js';

type RuleOf<T extends ChecklistRule['type']> = Extract<ChecklistRule, { type: T }>;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface ChecklistProbes {
  http(rule: RuleOf<'http-check'>): Promise<HttpReading[]>;
  sql(rule: RuleOf<'sql-check'>): Promise<SqlReading>;
  alarms(rule: RuleOf<'cloudwatch-alarm'>): Promise<AlarmReading>;
  metric(rule: RuleOf<'metric-threshold'>, now: Date): Promise<MetricReading>;
}

export function liveProbes(deps: {
  cloudwatch: CloudWatchClient;
  database: TargetDatabase;
}): ChecklistProbes {
  return {
    async http(rule) {
      return Promise.all(
        rule.urls.map(async (url): Promise<HttpReading> => {
          try {
            const response = await fetch(url, { signal: AbortSignal.timeout(rule.timeoutMs ?? 5_000) });
            const text = rule.bodyContains === undefined ? null : await response.text();
            if (text === null) await response.body?.cancel();
            return {
              url,
              status: response.status,
              bodyHasText: text === null ? null : text.includes(rule.bodyContains!),
              error: null,
            };
          } catch (error) {
            return { url, status: null, bodyHasText: null, error: message(error) };
          }
        }),
      );
    },
    async sql(rule) {
      try {
        const rows = await deps.database.query(rule.sql, [], { timeoutMs: rule.timeoutMs ?? 5_000 });
        return { rows, error: null };
      } catch (error) {
        return { rows: null, error: message(error) };
      }
    },
    async alarms(rule) {
      try {
        const out = await deps.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: rule.alarmNames }));
        return {
          alarms: [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => ({
            name: a.AlarmName ?? '',
            state: a.StateValue ?? 'unknown',
            reason: a.StateReason ?? null,
          })),
          error: null,
        };
      } catch (error) {
        return { alarms: null, error: message(error) };
      }
    },
    async metric(rule, now) {
      const minutes = rule.windowMinutes ?? 10;
      try {
        // One period spanning the whole window: CloudWatch computes the statistic over all of it.
        const out = await deps.cloudwatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(now.getTime() - minutes * 60_000),
            EndTime: now,
            MetricDataQueries: [
              {
                Id: 'threshold',
                MetricStat: {
                  Metric: {
                    Namespace: rule.namespace,
                    MetricName: rule.metricName,
                    Dimensions: Object.entries(rule.dimensions ?? {}).map(([Name, Value]) => ({
                      Name,
                      Value,
                    })),
                  },
                  Period: minutes * 60,
                  Stat: rule.statistic,
                },
              },
            ],
          }),
        );
        const values = out.MetricDataResults?.[0]?.Values ?? [];
        if (values.length === 0) return { value: null, error: null };
        // A window that straddles two periods: the sum for Sum/SampleCount, the extreme or the mean otherwise.
        const combine =
          rule.statistic === 'Sum' || rule.statistic === 'SampleCount'
            ? values.reduce((a, b) => a + b, 0)
            : rule.statistic === 'Minimum'
              ? Math.min(...values)
              : rule.statistic === 'Average'
                ? values.reduce((a, b) => a + b, 0) / values.length
                : Math.max(...values);
        return { value: combine, error: null };
      } catch (error) {
        return { value: null, error: message(error) };
      }
    },
  };
}
