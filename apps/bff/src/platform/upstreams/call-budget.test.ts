import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallBudget, spendBudgetOn } from './call-budget.js';

describe('CallBudget', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('grants callers in arrival order at the configured rate, however many queue', async () => {
    vi.useFakeTimers();
    const budget = new CallBudget(4, () => Date.now());
    const granted: number[] = [];
    const calls = Array.from({ length: 20 }, (_, i) => budget.take().then(() => granted.push(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0]);
    expect(budget.waiting).toBe(19);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted).toEqual([0, 1, 2, 3, 4]);
    await vi.advanceTimersByTimeAsync(4_000);
    await Promise.all(calls);
    expect(granted).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(budget.calls).toBe(20);
  });

  it('lets a caller give up its place', async () => {
    vi.useFakeTimers();
    const budget = new CallBudget(1, () => Date.now());
    await budget.take();
    const controller = new AbortController();
    const abandoned = budget.take(controller.signal);
    const next = budget.take();
    controller.abort(new Error('viewer left'));
    await expect(abandoned).rejects.toThrow('viewer left');
    expect(budget.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await next;
    expect(budget.calls).toBe(2);
  });
});

describe('spendBudgetOn', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('charges every FilterLogEvents attempt sent through the real SDK client, retries included, and nothing else', async () => {
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(String(req.headers['x-amz-target']));
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (seen.length === 1) {
        // A throttle the SDK retries: the retry is a call too and must be paid for.
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        return;
      }
      res.end(JSON.stringify({ events: [], logStreams: [] }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const budget = new CallBudget(1000);
    spendBudgetOn(client, budget, ['FilterLogEvents']);
    await Promise.all(
      Array.from({ length: 3 }, () =>
        client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/x' })),
      ),
    );
    await client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/x' }));
    client.destroy();
    expect(seen.filter((t) => t.endsWith('FilterLogEvents'))).toHaveLength(4);
    expect(budget.calls).toBe(4);
  });
});
