import type { LogsOverview, Overview } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import { openEventStreamClient, type EventStreamClient } from '../../testing/event-stream-client.js';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const logsMs = 1_000;
/** When the Overview calls a panel stale (apps/web): older than twice its interval plus 5 s. */
const staleAfterMs = 2 * logsMs + 5_000;

describe('one viewer cannot starve everyone’s logs (sandbox, real SDK clients over HTTP)', () => {
  let app: TestApp;
  const open: EventStreamClient[] = [];
  const cookie = () =>
    `${app.identityCookie('viewer').name}=${encodeURIComponent(app.identityCookie('viewer').value)}`;
  const filterCalls = async () =>
    (await app.control<{ byFilterPattern: Record<string, number> }>('GET', 'calls/filter-patterns'))
      .byFilterPattern;
  const tailCalls = (byPattern: Record<string, number>) =>
    Object.entries(byPattern)
      .filter(([pattern]) => pattern.startsWith('tail'))
      .reduce((sum, [, n]) => sum + n, 0);

  beforeAll(async () => {
    app = await buildTestApp({
      intervals: { logsMs, logTailMs: 1_000 },
      logs: { callsPerSecond: 5, tailIdleSeconds: 30 },
    });
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await app?.close();
  });

  it('caps 1,000 tails from one viewer at 20, keeps the Overview’s logs fresh, and stops calling when the sockets close', async () => {
    await app.control('DELETE', 'calls');
    const opened = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        openEventStreamClient(`${app.url}/api/v1/logs/${backend}/tail?filter=tail${i}`, {
          headers: { cookie: cookie() },
        }),
      ),
    );
    open.push(...opened);
    const accepted = opened.filter((c) => c.status === 200);
    const refused = opened.filter((c) => c.status === 429);
    expect(accepted).toHaveLength(20);
    expect(refused).toHaveLength(980);
    // The refusal is the one error body, and says the cap.
    const refusalText = await fetch(`${app.url}/api/v1/logs/${backend}/tail?filter=one-more`, {
      headers: { cookie: cookie() },
    });
    expect(refusalText.status).toBe(429);
    const refusal = (await refusalText.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('TooManyTails');
    expect(refusal.error.message).toContain('At most 20 live tails per person');
    expect((await app.get<LogsOverview>('/api/v1/logs')).body.tails).toHaveLength(20);

    // 20 tails want 20 calls a second of a budget of 5: the Overview's logs panel still refreshes,
    // never older than the page would call stale.
    const seen = new Set<string>();
    await waitFor(async () => {
      const { body } = await app.get<Overview>('/api/v1/overview');
      const logs = body.sources.logs;
      expect(logs.error).toBeNull();
      expect(Date.parse(body.serverTime) - Date.parse(logs.fetchedAt!)).toBeLessThan(staleAfterMs);
      seen.add(logs.fetchedAt!);
      return seen.size >= 4 ? true : undefined;
    }, 20_000);
    expect(app.app.upstreams.logsBudget.waiting).toBeGreaterThan(0);

    // Every socket closes: the tails' queued calls are dropped and none is made after.
    for (const client of opened) client.close();
    await waitFor(
      async () =>
        (await app.get<LogsOverview>('/api/v1/logs')).body.budget.activeTails === 0 ? true : undefined,
      10_000,
    );
    // A call already sent when the last viewer left may still land: let those arrive, then count.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const afterClose = tailCalls(await filterCalls());
    const overviewBefore = (await filterCalls())[app.config.logs.errorPattern] ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const later = await filterCalls();
    expect(tailCalls(later)).toBe(afterClose);
    // ...while the Overview keeps polling.
    expect(later[app.config.logs.errorPattern] ?? 0).toBeGreaterThan(overviewBefore);
    expect(app.app.upstreams.logsBudget.waiting).toBeLessThanOrEqual(app.config.functions.length);
  });

  it('caps one person’s event streams at overview.maxStreamsPerPerson, and frees a place when one closes', async () => {
    const streams = await Promise.all(
      Array.from({ length: 12 }, () =>
        openEventStreamClient(`${app.url}/api/v1/events`, { headers: { cookie: cookie() } }),
      ),
    );
    open.push(...streams);
    expect(streams.filter((s) => s.status === 200)).toHaveLength(10);
    expect(streams.filter((s) => s.status === 429)).toHaveLength(2);
    const refused = await fetch(`${app.url}/api/v1/events`, { headers: { cookie: cookie() } });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'At most 10 live event streams per person',
    );
    // Another person is not affected by this one's streams.
    const lead = app.identityCookie('lead');
    const other = await openEventStreamClient(`${app.url}/api/v1/events`, {
      headers: { cookie: `${lead.name}=${encodeURIComponent(lead.value)}` },
    });
    open.push(other);
    expect(other.status).toBe(200);
    // Closing one frees its place.
    streams.find((s) => s.status === 200)!.close();
    const again = await waitFor(async () => {
      const client = await openEventStreamClient(`${app.url}/api/v1/events`, {
        headers: { cookie: cookie() },
      });
      open.push(client);
      return client.status === 200 ? client : undefined;
    }, 5_000);
    expect(again.status).toBe(200);
  });
});
