// Issue 24, evidence 4: one clock in the sandbox. After the scenario clock advances an hour, the
// live tail shows the lines the scenario writes, stamped in scenario time; a sign-off's time equals
// its audit row's; the audit row keeps the wall clock beside it; the Overview's server time (from
// which the page counts ages) is scenario time too.
import type { AuditList, DeployDetail, Overview, TailLine } from '@flightdeck/contracts';
import type { Role } from '@flightdeck/bff';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import { openEventStreamClient, type EventStreamClient } from '@flightdeck/bff/testing/event-stream-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const hourMs = 3_600_000;

let app: TestApp;
const open: EventStreamClient[] = [];

beforeAll(async () => {
  app = await buildTestApp({
    deploys: { evaluateMs: 3_600_000 },
    auth: { mutationsPerMinute: 1_000_000 },
    logs: { tailBackfillMinutes: 10 },
  });
}, 60_000);
afterAll(async () => {
  for (const client of open) client.close();
  await app?.close();
});

/** The scenario clock as Flightdeck reads it. */
const scenarioNow = () => app.app.upstreams.now().getTime();

async function change(role: Role, path: string, body: unknown = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: {
      ...(await app.signIn(role)),
      'content-type': 'application/json',
      'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('one clock in the sandbox', () => {
  it('after the scenario clock advances an hour, the live tail shows the new lines in scenario time', async () => {
    const before = scenarioNow();
    await app.control('POST', 'clock/advance', { seconds: 3600 });
    const advanced = scenarioNow();
    expect(advanced - before).toBeGreaterThanOrEqual(hourMs);

    const marker = `one-clock-${Math.random().toString(36).slice(2)}`;
    const client = await openEventStreamClient(
      `${app.url}/api/v1/logs/${backend}/tail?filter=${encodeURIComponent(`"${marker}"`)}`,
      {
        headers: {
          cookie: `${app.identityCookie('viewer').name}=${encodeURIComponent(app.identityCookie('viewer').value)}`,
        },
      },
    );
    open.push(client);
    expect(client.status).toBe(200);
    // Written by the function now, on the scenario's clock, an hour ahead of the wall.
    await app.control('POST', `functions/${backend}/log`, { message: `[ERROR]\t${marker} failed` });
    const event = await client.waitFor((e) => e.event === 'line', 20_000);
    const line = JSON.parse(event.data) as TailLine;
    expect(line.message).toContain(marker);
    const stamped = Date.parse(line.timestamp);
    expect(stamped).toBeGreaterThanOrEqual(advanced - 1000);
    expect(stamped).toBeLessThanOrEqual(scenarioNow() + 1000);
    client.close();
  }, 60_000);

  it('a sign-off’s time is its audit row’s, on the scenario clock; the row keeps the wall clock beside it', async () => {
    await waitFor(async () =>
      (await app.get<Overview>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
    );
    const prepared = await change('ops', '/api/v1/deploys');
    expect(prepared.status).toBe(201);
    const id = prepared.body.id as string;
    const signed = await change('lead', `/api/v1/deploys/${id}/items/frontend-commit/sign-off`, {
      comment: 'tagged v2.14.0',
    });
    expect(signed.status).toBe(200);
    const signOffAt = (signed.body as DeployDetail).checklist.find((i) => i.id === 'frontend-commit')!
      .signOff!.at;
    // On the scenario clock: an hour (and more) past the clock's reading before it was advanced.
    expect(Math.abs(Date.parse(signOffAt) - scenarioNow())).toBeLessThan(60_000);

    const rows = (await app.get<AuditList>('/api/v1/audit?action=signed%20off', 'lead')).body.entries;
    expect(rows[0]).toMatchObject({ summary: expect.stringContaining('lee signed off'), at: signOffAt });
    expect(rows[0]!.wallAt).not.toBeNull();
    // The two clocks an hour apart, as the scenario was advanced.
    expect(Date.parse(rows[0]!.at) - Date.parse(rows[0]!.wallAt!)).toBeGreaterThanOrEqual(hourMs - 60_000);

    // The timeline's event for it says the same time.
    const timeline = (await app.get<DeployDetail>(`/api/v1/deploys/${id}`)).body.timeline;
    expect(timeline.find((e) => e.kind === 'signed-off')!.at).toBe(signOffAt);
  });

  it('the Overview’s server time, from which the page counts ages, is scenario time', async () => {
    // The published overview is rebuilt on a change; wait for one after the clock moved.
    const serverTime = await waitFor(async () => {
      const overview = (await app.get<Overview>('/api/v1/overview')).body;
      return Math.abs(Date.parse(overview.serverTime) - scenarioNow()) < 60_000
        ? overview.serverTime
        : undefined;
    }, 20_000);
    expect(Date.parse(serverTime)).toBeGreaterThan(0);
  });
});
