import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { filterLogEventsReader } from './log-events-reader.js';

describe('filterLogEventsReader', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('reads a FilterLogEvents page through the real SDK, passing the pattern and redacting secrets', async () => {
    const bodies: Record<string, unknown>[] = [];
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(raw) as Record<string, unknown>);
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(
          JSON.stringify({
            events: [
              {
                eventId: 'e1',
                timestamp: 1_770_100_000_000,
                logStreamName: 's',
                message: 'connecting to postgres://credmate:Sup3rS3cret@db:5432/credmate\n',
              },
            ],
            nextToken: 'next',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const read = filterLogEventsReader(client);
    const page = await read({ logGroupName: '/aws/lambda/api', filterPattern: '', startTime: 1, endTime: 2 });
    await read({
      logGroupName: '/aws/lambda/api',
      filterPattern: 'ERROR',
      startTime: 1,
      endTime: 2,
      nextToken: 'next',
    });
    client.destroy();
    expect(page.nextToken).toBe('next');
    expect(page.events[0]).toMatchObject({ eventId: 'e1', timestamp: 1_770_100_000_000, logStream: 's' });
    expect(page.events[0]!.message).not.toContain('Sup3rS3cret');
    expect(page.events[0]!.message).toContain('postgres://credmate:');
    // An empty pattern means every line: it is left out rather than sent empty.
    expect(bodies[0]).not.toHaveProperty('filterPattern');
    expect(bodies[1]).toMatchObject({ filterPattern: 'ERROR', nextToken: 'next' });
  });
});
