import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
  ThrottlingException,
  type FilterLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../start-sandbox.js';
import { storyNames } from '../story.js';
import {
  clientsFor,
  startStorySandbox,
  storyMoment,
  type SandboxClients,
} from '../testing/sandbox-clients.js';

const backendGroup = `/aws/lambda/${storyNames.backendFunction}`;
const minute = 60_000;
const undefinedTable =
  'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "coordinator_notification_preferences" does not exist';

describe('CloudWatch Logs', () => {
  let sandbox: Sandbox;
  let aws: SandboxClients;
  const filter = (input: Partial<FilterLogEventsCommandInput>) =>
    aws.logs.send(new FilterLogEventsCommand({ logGroupName: backendGroup, ...input }));

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    aws = clientsFor(sandbox);
  });
  afterAll(async () => {
    aws?.destroy();
    await sandbox?.close();
  });

  it('finds the missing-table errors with a quoted phrase, and none after the migrations', async () => {
    const window = { startTime: storyMoment - 15 * minute, endTime: storyMoment };
    const errors = await filter({
      ...window,
      filterPattern: '"relation \\"coordinator_notification_preferences\\" does not exist"',
    });
    expect(errors.events!.length).toBeGreaterThan(10);
    for (const event of errors.events!) {
      expect(event.message).toContain(undefinedTable);
      expect(event.message).toContain('Traceback (most recent call last):');
      expect(event.logStreamName).toMatch(/^2026\/02\/03\/\[14\][0-9a-f]{32}$/);
      expect(event.eventId).toMatch(/^\d{56}$/);
      expect(event.ingestionTime!).toBeGreaterThan(event.timestamp!);
    }
    const times = errors.events!.map((e) => e.timestamp!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(errors.events!.map((e) => e.eventId)).size).toBe(errors.events!.length);
    // Each failure also logs its 500 access line.
    const fiveHundreds = await filter({
      ...window,
      filterPattern: '"GET /api/v1/notifications/preferences 500"',
    });
    expect(fiveHundreds.events!.length).toBe(errors.events!.length);

    await sandbox.scenario.applyMigrations();
    await sandbox.scenario.advanceClock(15 * 60);
    const later = await filter({ startTime: storyMoment + 1, filterPattern: 'UndefinedTable' });
    expect(later.events).toEqual([]);
    const ok = await filter({
      startTime: storyMoment + 1,
      filterPattern: '"GET /api/v1/notifications/preferences 200"',
    });
    expect(ok.events!.length).toBeGreaterThan(10);
    // The past keeps its errors.
    expect((await filter({ ...window, filterPattern: 'UndefinedTable' })).events!.length).toBe(
      errors.events!.length,
    );
  });

  it('supports the term syntax: AND, ?OR and -exclusion', async () => {
    const window = { startTime: storyMoment - 2 * minute, endTime: storyMoment };
    const reports = await filter({ ...window, filterPattern: 'REPORT Duration' });
    const starts = await filter({ ...window, filterPattern: 'START RequestId' });
    const either = await filter({ ...window, filterPattern: '?REPORT ?START' });
    expect(reports.events!.every((e) => e.message!.startsWith('REPORT RequestId: '))).toBe(true);
    expect(reports.events!.length).toBeGreaterThan(150);
    expect(either.events!.length).toBe(reports.events!.length + starts.events!.length);
    const infoNotHealth = await filter({ ...window, filterPattern: 'INFO -health' });
    expect(infoNotHealth.events!.length).toBeGreaterThan(0);
    expect(infoNotHealth.events!.some((e) => e.message!.includes('health'))).toBe(false);
    expect(reports.events![0]!.message).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB\tMax Memory Used: \d+ MB\t\n$/,
    );
  });

  it('pages with limit and nextToken, the same pages every time', async () => {
    const window = { startTime: storyMoment - 3 * minute, endTime: storyMoment - minute };
    const all = await filter(window);
    expect(all.nextToken).toBeUndefined();
    const paged: string[] = [];
    let token: string | undefined;
    let firstToken: string | undefined;
    do {
      const page = await filter({ ...window, limit: 250, ...(token ? { nextToken: token } : {}) });
      paged.push(...page.events!.map((e) => e.eventId!));
      token = page.nextToken;
      firstToken ??= token;
    } while (token);
    expect(paged).toEqual(all.events!.map((e) => e.eventId));
    const again = await filter({ ...window, limit: 250, nextToken: firstToken! });
    expect(again.events![0]!.eventId).toBe(paged[250]);
  });

  it('filters by stream and describes the streams like Lambda names them', async () => {
    const streams = await aws.logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: backendGroup,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 5,
      }),
    );
    expect(streams.logStreams).toHaveLength(5);
    expect(streams.nextToken).toBeDefined();
    const newest = streams.logStreams![0]!;
    expect(newest.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\d+\][0-9a-f]{32}$/);
    expect(newest.firstEventTimestamp!).toBeLessThanOrEqual(newest.lastEventTimestamp!);
    const lastTimes = streams.logStreams!.map((s) => s.lastEventTimestamp!);
    expect(lastTimes).toEqual([...lastTimes].sort((a, b) => b - a));
    const next = await aws.logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: backendGroup,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 5,
        nextToken: streams.nextToken!,
      }),
    );
    expect(next.logStreams![0]!.logStreamName).not.toBe(newest.logStreamName);

    const one = await filter({
      startTime: sandbox.scenario.now() - 5 * minute,
      logStreamNames: [newest.logStreamName!],
      limit: 100,
    });
    expect(one.events!.length).toBeGreaterThan(0);
    expect(one.events!.every((e) => e.logStreamName === newest.logStreamName)).toBe(true);
  });

  it('reads one stream with GetLogEvents, from the head or the tail', async () => {
    const [stream] = (
      await aws.logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: backendGroup,
          orderBy: 'LastEventTime',
          descending: true,
          limit: 1,
        }),
      )
    ).logStreams!;
    const head = await aws.logs.send(
      new GetLogEventsCommand({
        logGroupName: backendGroup,
        logStreamName: stream!.logStreamName!,
        startFromHead: true,
        limit: 8,
      }),
    );
    expect(head.events).toHaveLength(8);
    expect(head.events![0]!.timestamp).toBe(stream!.firstEventTimestamp);
    expect(head.events![0]!.message).toMatch(/^START RequestId: /);
    const next = await aws.logs.send(
      new GetLogEventsCommand({
        logGroupName: backendGroup,
        logStreamName: stream!.logStreamName!,
        limit: 8,
        nextToken: head.nextForwardToken!,
      }),
    );
    expect(next.events![0]!.timestamp!).toBeGreaterThanOrEqual(head.events![7]!.timestamp!);
    const tail = await aws.logs.send(
      new GetLogEventsCommand({
        logGroupName: backendGroup,
        logStreamName: stream!.logStreamName!,
        limit: 4,
      }),
    );
    expect(tail.events![3]!.timestamp).toBe(stream!.lastEventTimestamp);
    expect(tail.events![3]!.message).toMatch(/^REPORT RequestId: /);
    const end = await aws.logs.send(
      new GetLogEventsCommand({
        logGroupName: backendGroup,
        logStreamName: stream!.logStreamName!,
        nextToken: tail.nextForwardToken!,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(tail.nextForwardToken);
  });

  it('answers with the Logs exception classes', async () => {
    await expect(
      aws.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(filter({ filterPattern: '{ $.level = "ERROR" }' })).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(filter({ filterPattern: '"unterminated' })).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(
      aws.logs.send(
        new GetLogEventsCommand({
          logGroupName: backendGroup,
          logStreamName: '2026/02/03/[14]00000000000000000000000000000000',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await sandbox.scenario.injectFault({
      service: 'CloudWatchLogs',
      operation: 'FilterLogEvents',
      kind: 'throttle',
      remaining: 1,
    });
    const throttled = await filter({ startTime: storyMoment - minute }).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect((throttled as ThrottlingException).$metadata.httpStatusCode).toBe(400);
    expect((await filter({ startTime: storyMoment - minute, limit: 1 })).events).toHaveLength(1);
  });

  it('has a log group for the SQL function with its real invocations', async () => {
    const group = `/aws/lambda/${storyNames.sqlFunction}`;
    const before = await aws.logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    expect(before.events).toEqual([]);
    await aws.lambda.send(
      new (await import('@aws-sdk/client-lambda')).InvokeCommand({
        FunctionName: storyNames.sqlFunction,
        Payload: new TextEncoder().encode(JSON.stringify({ sql: 'SELECT count(*) AS n FROM providers' })),
      }),
    );
    const after = await aws.logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    expect(after.events!.map((e) => e.message!.split(/[\t ]/)[0])).toEqual([
      'START',
      '[INFO]',
      'END',
      'REPORT',
    ]);
    expect(after.events![1]!.message).toContain('query ok rows=1');
  });
});
