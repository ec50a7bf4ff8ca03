import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallBudget, spendBudgetOn, withBudgetTicket } from './call-budget.js';

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
    const abandoned = budget.take({ signal: controller.signal });
    const next = budget.take();
    controller.abort(new Error('viewer left'));
    await expect(abandoned).rejects.toThrow('viewer left');
    expect(budget.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await next;
    expect(budget.calls).toBe(2);
  });
});

describe('CallBudget with a reserved share', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a collector at the next token however many viewers queue, and viewers never take its share', async () => {
    vi.useFakeTimers();
    // 5 calls/s, a fifth kept for collectors: viewers get 4 a second at most.
    const budget = new CallBudget(5, () => Date.now(), 0.2);
    const controller = new AbortController();
    const viewers = Array.from({ length: 1_000 }, () =>
      budget.take({ lane: 'viewer', signal: controller.signal }).catch(() => 'dropped'),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    // Ten seconds of nothing but viewers: 4 a second (plus a burst of two), never the full 5.
    expect(budget.callsOf('viewer')).toBeLessThanOrEqual(42);
    expect(budget.callsOf('viewer')).toBeGreaterThanOrEqual(39);
    // A collector arriving behind 960 queued viewer calls goes at the next token.
    let collectorGranted = false;
    const collector = budget.take().then(() => (collectorGranted = true));
    await vi.advanceTimersByTimeAsync(200);
    expect(collectorGranted).toBe(true);
    await collector;
    // Collectors polling every second beside a full viewer queue: each goes within a token's time.
    for (let i = 0; i < 10; i++) {
      let granted = false;
      void budget.take().then(() => (granted = true));
      await vi.advanceTimersByTimeAsync(200);
      expect(granted).toBe(true);
      await vi.advanceTimersByTimeAsync(800);
    }
    // The viewers' queued calls are dropped when nobody wants them: no call is made for them after.
    const before = budget.calls;
    controller.abort(new Error('last viewer left'));
    expect(budget.waiting).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(budget.calls).toBe(before);
    expect((await Promise.all(viewers)).filter((v) => v === 'dropped').length).toBe(
      1_000 - budget.callsOf('viewer'),
    );
  });

  it('gives each side its share when both want more than the rate', async () => {
    vi.useFakeTimers();
    const budget = new CallBudget(5, () => Date.now(), 0.2);
    for (let i = 0; i < 200; i++) {
      budget.take().catch(() => undefined);
      budget.take({ lane: 'viewer' }).catch(() => undefined);
    }
    await vi.advanceTimersByTimeAsync(10_000);
    // 50 calls in ten seconds: at least the reserved fifth to collectors, the rest to viewers.
    expect(budget.calls).toBeLessThanOrEqual(51);
    expect(budget.callsOf('collector')).toBeGreaterThanOrEqual(10);
    expect(budget.callsOf('viewer')).toBeGreaterThanOrEqual(38);
    budget.close();
  });

  it('lets viewers use the whole rate when nothing is reserved', async () => {
    vi.useFakeTimers();
    const budget = new CallBudget(5, () => Date.now());
    for (let i = 0; i < 60; i++) budget.take({ lane: 'viewer' }).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(budget.callsOf('viewer')).toBeGreaterThanOrEqual(50);
    budget.close();
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

  it('reads the lane and signal a call carries: a viewer call waits in its lane and gives up when aborted', async () => {
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(String(req.headers['x-amz-target']));
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ events: [] }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // One call a second, all of it reserved but a tenth: a viewer call waits ~10 s for its token.
    const budget = new CallBudget(1, undefined, 0.9);
    spendBudgetOn(client, budget, ['FilterLogEvents']);
    await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/x' }));
    const controller = new AbortController();
    const viewerCall = client
      .send(
        new FilterLogEventsCommand(
          withBudgetTicket({ logGroupName: '/aws/lambda/x' }, { lane: 'viewer', signal: controller.signal }),
        ),
      )
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(budget.waiting).toBe(1);
    controller.abort(new Error('nobody watches'));
    expect(await viewerCall).toBe('nobody watches');
    client.destroy();
    budget.close();
    expect(seen).toHaveLength(1);
    expect(budget.callsOf('viewer')).toBe(0);
  });
});
