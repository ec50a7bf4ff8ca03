import type { Overview } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import { openEventStreamClient } from '../../testing/event-stream-client.js';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';

/** One secret of each kind, as applications really leak them into their logs. */
export const leakedSecrets = {
  awsAccessKey: 'AKIAQWERTYUIOPASDFGH',
  awsSecretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKEY',
  password: 'Test1234-hunter2',
  bearerToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjMSJ9.c2lnbmF0dXJlLXNlY3JldA',
  cardNumber: '4111 1111 1111 1111',
  connectionPassword: 'pg-S3cr3t-pass',
};

export const leakyLines = (marker: string) => [
  `[ERROR] ${marker} boto3 failed with credentials AKIA key ${leakedSecrets.awsAccessKey} aws_secret_access_key=${leakedSecrets.awsSecretKey}`,
  `[ERROR] ${marker} login failed for c1@test.com payload {"email": "c1@test.com", "password": "${leakedSecrets.password}"}`,
  `[ERROR] ${marker} upstream 401 with Authorization: Bearer ${leakedSecrets.bearerToken}`,
  `[ERROR] ${marker} payment declined cc_number=${leakedSecrets.cardNumber} for provider 5`,
  `[ERROR] ${marker} could not connect to postgresql://credmate:${leakedSecrets.connectionPassword}@prod-credmate-db:5432/credmate`,
];

describe('secrets in log lines never reach a viewer', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('redacts every kind of secret from the Overview’s latest errors', async () => {
    const marker = `leak-${Date.now()}`;
    for (const message of leakyLines(marker))
      await app.control('POST', `functions/${backend}/log`, { message });
    const overview = await waitFor(async () => {
      const { body } = await app.get<Overview>('/api/v1/overview');
      const lines = body.sources.logs.data?.lines.filter((l) => l.message.includes(marker)) ?? [];
      return lines.length === leakyLines(marker).length ? body : undefined;
    });
    const shown = overview.sources.logs
      .data!.lines.filter((l) => l.message.includes(marker))
      .map((l) => l.message);
    const everything = JSON.stringify(overview);
    for (const [kind, secret] of Object.entries(leakedSecrets)) {
      expect(everything.includes(secret), `${kind} reached the viewer: ${shown.join(' | ')}`).toBe(false);
    }
    for (const line of shown) expect(line).toContain('[REDACTED]');
  });

  it('redacts every kind of secret from a live log tail', async () => {
    const cookie = app.identityCookie('viewer');
    const client = await openEventStreamClient(`${app.url}/api/v1/logs/${backend}/tail`, {
      headers: { cookie: `${cookie.name}=${encodeURIComponent(cookie.value)}` },
    });
    try {
      await client.waitFor((e) => e.event === 'line');
      const marker = `tail-leak-${Date.now()}`;
      for (const message of leakyLines(marker))
        await app.control('POST', `functions/${backend}/log`, { message });
      // The last line written arriving means every earlier one has too (the tail is ordered).
      await client.waitFor(
        (e) => e.event === 'line' && e.data.includes(marker) && e.data.includes('postgresql://'),
        20_000,
      );
      const received = client.events.filter((e) => e.data.includes(marker)).map((e) => e.data);
      expect(received.length).toBeGreaterThanOrEqual(leakyLines(marker).length);
      const everything = client.events.map((e) => e.data).join('\n');
      for (const [kind, secret] of Object.entries(leakedSecrets)) {
        expect(everything.includes(secret), `${kind} reached the tail: ${received.join(' | ')}`).toBe(false);
      }
    } finally {
      client.close();
    }
  });
});
