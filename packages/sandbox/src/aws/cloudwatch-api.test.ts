import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  InvalidNextToken,
  InvalidParameterValueException,
  ValidationException,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../start-sandbox.js';
import { storyNames } from '../story.js';
import { backendErrorsAlarmName } from './cloudwatch-api.js';
import {
  clientsFor,
  startStorySandbox,
  storyMoment,
  type SandboxClients,
} from '../testing/sandbox-clients.js';

const backend = storyNames.backendFunction;
const minute = 60_000;

function stat(
  id: string,
  metricName: string,
  statName: string,
  period = 60,
  dimensions: { Name: string; Value: string }[] = [{ Name: 'FunctionName', Value: backend }],
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions },
      Period: period,
      Stat: statName,
    },
  };
}

describe('CloudWatch GetMetricData', () => {
  let sandbox: Sandbox;
  let aws: SandboxClients;

  const window = async (
    queries: MetricDataQuery[],
    minutes: number,
    extra: { ScanBy?: 'TimestampAscending'; MaxDatapoints?: number; NextToken?: string } = {},
  ) => {
    const end = sandbox.scenario.now();
    return aws.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(end - minutes * minute),
        EndTime: new Date(end),
        ...extra,
      }),
    );
  };
  const sum = (values: number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    aws = clientsFor(sandbox);
  });
  afterAll(async () => {
    aws?.destroy();
    await sandbox?.close();
  });

  it('shows backend errors while the tables are missing, and none once the migrations are applied', async () => {
    const before = await window(
      [stat('errors', 'Errors', 'Sum'), stat('invocations', 'Invocations', 'Sum')],
      10,
    );
    const [errors, invocations] = before.MetricDataResults!;
    expect(errors!.StatusCode).toBe('Complete');
    expect(sum(errors!.Values)).toBeGreaterThan(0);
    const rate = sum(errors!.Values) / sum(invocations!.Values);
    expect(rate).toBeGreaterThan(0.01);
    expect(rate).toBeLessThan(0.1);

    await sandbox.scenario.applyMigrations();
    await sandbox.scenario.advanceClock(10 * 60);
    const after = await window(
      [stat('errors', 'Errors', 'Sum'), stat('invocations', 'Invocations', 'Sum')],
      10,
    );
    expect(sum(after.MetricDataResults![0]!.Values)).toBe(0);
    expect(sum(after.MetricDataResults![1]!.Values)).toBeGreaterThan(800);

    // The past does not change: the earlier window still shows its errors.
    const end = storyMoment;
    const replay = await aws.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [stat('errors', 'Errors', 'Sum')],
        StartTime: new Date(end - 10 * minute),
        EndTime: new Date(end),
      }),
    );
    expect(replay.MetricDataResults![0]!.Values).toEqual(errors!.Values);
  });

  it('has the baseline of the story: 3-5 ms average, higher p99, no throttles, little concurrency', async () => {
    await sandbox.scenario.applyMigrations(); // idempotent: the baseline is the healthy one
    await sandbox.scenario.advanceClock(10 * 60);
    const result = await window(
      [
        stat('avg', 'Duration', 'Average', 300),
        stat('p99', 'Duration', 'p99', 300),
        stat('p50', 'Duration', 'p50', 300),
        stat('throttles', 'Throttles', 'Sum', 300),
        stat('concurrency', 'ConcurrentExecutions', 'Maximum', 300),
        stat('perMinute', 'Invocations', 'Sum', 60),
        stat('worker', 'Duration', 'Average', 300, [
          { Name: 'FunctionName', Value: storyNames.workerFunction },
        ]),
      ],
      10,
    );
    const byId: Record<string, number[]> = Object.fromEntries(
      result.MetricDataResults!.map((r) => [r.Id!, r.Values!]),
    );
    for (const v of byId.avg!) expect(v >= 3 && v <= 5, `average ${v} ms`).toBe(true);
    for (const v of byId.p99!) expect(v >= 8 && v <= 15, `p99 ${v} ms`).toBe(true);
    expect(Math.max(...byId.p50!)).toBeLessThan(Math.min(...byId.p99!));
    expect(byId.throttles!.every((v) => v === 0)).toBe(true);
    expect(byId.throttles!.length).toBeGreaterThan(0);
    expect(Math.max(...byId.concurrency!)).toBeLessThanOrEqual(4);
    for (const v of byId.perMinute!) expect(v > 70 && v < 180, `${v} invocations/min`).toBe(true);
    expect(Math.min(...byId.worker!)).toBeGreaterThan(Math.max(...byId.avg!));
  });

  it('answers the same data to repeated and overlapping queries', async () => {
    const a = await window([stat('inv', 'Invocations', 'Sum'), stat('p95', 'Duration', 'p95')], 30);
    const b = await window([stat('inv', 'Invocations', 'Sum'), stat('p95', 'Duration', 'p95')], 30);
    expect(b.MetricDataResults).toEqual(a.MetricDataResults);
    const shorter = await window([stat('inv', 'Invocations', 'Sum')], 12);
    const common = shorter.MetricDataResults![0]!.Timestamps!.length;
    expect(shorter.MetricDataResults![0]!.Values).toEqual(a.MetricDataResults![0]!.Values!.slice(0, common));
  });

  it('selects by Resource and ExecutedVersion like AWS/Lambda', async () => {
    const result = await window(
      [
        stat('byName', 'Invocations', 'Sum', 600),
        stat('byAlias', 'Invocations', 'Sum', 600, [
          { Name: 'FunctionName', Value: backend },
          { Name: 'Resource', Value: `${backend}:prod` },
        ]),
        stat('byVersion', 'Invocations', 'Sum', 600, [
          { Name: 'FunctionName', Value: backend },
          { Name: 'Resource', Value: `${backend}:prod` },
          { Name: 'ExecutedVersion', Value: '14' },
        ]),
        stat('oldVersion', 'Invocations', 'Sum', 600, [
          { Name: 'FunctionName', Value: backend },
          { Name: 'Resource', Value: `${backend}:prod` },
          { Name: 'ExecutedVersion', Value: '13' },
        ]),
        stat('unknown', 'Invocations', 'Sum', 600, [{ Name: 'FunctionName', Value: 'no-such-function' }]),
      ],
      10,
    );
    const [byName, byAlias, byVersion, oldVersion, unknown] = result.MetricDataResults!;
    expect(byAlias!.Values).toEqual(byName!.Values);
    expect(byVersion!.Values).toEqual(byName!.Values);
    expect(oldVersion!.Values).toEqual([]);
    expect(unknown!.Values).toEqual([]);
    expect(unknown!.StatusCode).toBe('Complete');
  });

  it('orders by ScanBy and pages with MaxDatapoints and NextToken', async () => {
    const queries = [stat('a', 'Invocations', 'Sum'), stat('b', 'Errors', 'Sum')];
    const whole = await window(queries, 20, { ScanBy: 'TimestampAscending' });
    const [a, b] = whole.MetricDataResults!;
    expect(a!.Timestamps!.map(Number)).toEqual([...a!.Timestamps!.map(Number)].sort((x, y) => x - y));
    const descending = await window(queries, 20);
    expect(descending.MetricDataResults![0]!.Values).toEqual([...a!.Values!].reverse());

    const collected: Record<string, number[]> = { a: [], b: [] };
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await window(queries, 20, {
        ScanBy: 'TimestampAscending',
        MaxDatapoints: 15,
        ...(token ? { NextToken: token } : {}),
      });
      for (const r of page.MetricDataResults!) collected[r.Id!]!.push(...r.Values!);
      if (page.NextToken)
        expect(page.MetricDataResults!.some((r) => r.StatusCode === 'PartialData')).toBe(true);
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil((a!.Values!.length + b!.Values!.length) / 15));
    expect(collected).toEqual({ a: a!.Values, b: b!.Values });
  });

  it('rejects what CloudWatch rejects, with the SDK exception classes', async () => {
    const tooMany = Array.from({ length: 501 }, (_, i) => stat(`q${i}`, 'Invocations', 'Sum'));
    await expect(window(tooMany, 5)).rejects.toBeInstanceOf(ValidationException);
    await expect(window([{ Id: 'm', Expression: 'SUM(METRICS())' }], 5)).rejects.toThrow(
      /not supported by the sandbox/,
    );
    await expect(window([stat('odd', 'Invocations', 'Sum', 90)], 5)).rejects.toBeInstanceOf(
      ValidationException,
    );
    await expect(window([stat('x', 'Invocations', 'Sum'), stat('x', 'Errors', 'Sum')], 5)).rejects.toThrow(
      /not unique/,
    );
    const badStat = await window([stat('tm', 'Duration', 'tm99')], 5).catch((e: unknown) => e);
    expect(badStat).toBeInstanceOf(InvalidParameterValueException);
    expect((badStat as InvalidParameterValueException).$metadata.httpStatusCode).toBe(400);
    await expect(
      window([stat('a', 'Invocations', 'Sum')], 5, { NextToken: 'bm90IGEgdG9rZW4' }),
    ).rejects.toBeInstanceOf(InvalidNextToken);
  });
});

describe('CloudWatch DescribeAlarms', () => {
  let sandbox: Sandbox;
  let aws: SandboxClients;
  const alarmState = async () =>
    (await aws.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [backendErrorsAlarmName] })))
      .MetricAlarms?.[0];

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    aws = clientsFor(sandbox);
  });
  afterAll(async () => {
    aws?.destroy();
    await sandbox?.close();
  });

  it('is in ALARM while the backend errors, OK after the migration, ALARM again on injected failures', async () => {
    expect(await alarmState()).toMatchObject({
      StateValue: 'ALARM',
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
    });
    await sandbox.scenario.applyMigrations();
    await sandbox.scenario.advanceClock(6 * 60);
    expect((await alarmState())?.StateValue).toBe('OK');
    sandbox.scenario.failInvocations(backend, 20);
    const alarm = await alarmState();
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toContain('20 errors');
    const none = await aws.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['no-such-alarm'] }));
    expect(none.MetricAlarms).toEqual([]);
  });
});
