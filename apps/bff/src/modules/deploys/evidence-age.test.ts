// Evidence never outlives its data (issue 25, items 1 and 2; issue 24, per-function p99): through
// the sandbox, with the scenario clock moved by the test and a short freshness window.
import type { Deploy, DeployDetail, Overview } from '@flightdeck/contracts';
import { storyNames } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

const freshnessSeconds = 30;

describe('checklist evidence and the age of its data', () => {
  let app: TestApp;
  let deployId: string;

  const detail = () => app.get<DeployDetail>(`/api/v1/deploys/${deployId}`).then((r) => r.body);
  const item = (d: DeployDetail, id: string) => d.checklist.find((i) => i.id === id)!;
  /** Evaluates until `check` holds (the sources refresh on their own intervals); on timeout, says what it saw. */
  const evaluateUntil = async (check: (d: DeployDetail) => boolean, timeoutMs = 30_000) => {
    let last: DeployDetail | null = null;
    try {
      return await waitFor(async () => {
        await app.deploys!.evaluator.evaluateNow();
        last = await detail();
        return check(last) ? last : undefined;
      }, timeoutMs);
    } catch (error) {
      const shown = last as DeployDetail | null;
      throw new Error(
        `${String(error)}; last: ${JSON.stringify(shown && { phase: shown.deploy.phase, items: shown.checklist.map((i) => [i.id, i.state, i.reason]) })}`,
      );
    }
  };
  const change = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    app = await buildTestApp({
      // The evaluator is driven by the test; the sandbox's p99 swings with its simulated day by more
      // than the default 50 % (the p99 item's threshold has its own unit tests).
      deploys: { evaluateMs: 3_600_000, freshnessSeconds, p99TolerancePercent: 500 },
    });
    await waitFor(async () => {
      const { sources } = (await app.get<Overview>('/api/v1/overview')).body;
      return sources.lambda.data && sources.metrics.data && sources.alembic.data ? true : undefined;
    }, 30_000);
    const prepared = await change('/api/v1/deploys', { release: { name: 'v2.14.0' } });
    expect(prepared.status).toBe(201);
    deployId = (prepared.body as Deploy).id;
    await app.control('POST', 'clock/advance', { seconds: 61 });
    await evaluateUntil((d) => d.deploy.phase === 'ready');
    expect((await change(`/api/v1/deploys/${deployId}/migration`, { state: 'started' })).status).toBe(200);
    await app.control('POST', 'migrations/apply');
    await evaluateUntil((d) => d.deploy.phase === 'verifying');
    // The errors of before the migration leave the error window.
    await app.control('POST', 'clock/advance', { seconds: 11 * 60 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('holds each function’s p99 to its own baseline, and the evidence lists each function', async () => {
    const d = await evaluateUntil((x) => item(x, 'response-times').state === 'pass');
    const baseline = d.deploy.baselineMetrics?.p99ByFunction ?? [];
    expect(baseline.map((f) => f.functionName)).toEqual([
      storyNames.backendFunction,
      storyNames.workerFunction,
    ]);
    const evidence = item(d, 'response-times').evidence!;
    expect(evidence.question).toBe("Is each function's p99 duration within 500 % of its own baseline?");
    const [backend, worker] = evidence.value.split('; ');
    expect(backend).toMatch(
      /^Backend API: p99 [\d.]+ ms against [\d.]+ ms, within [\d.]+ ms \(\d+ invocations\)$/,
    );
    expect(worker).toMatch(/^Worker: p99 [\d.]+ ms against [\d.]+ ms, within [\d.]+ ms \(\d+ invocations\)$/);
  }, 60_000);

  it('turns the error-rate and p99 items stale with the metrics source’s error while GetMetricData fails, and back to pass when data comes back', async () => {
    const green = await evaluateUntil(
      (d) => item(d, 'error-rate').state === 'pass' && item(d, 'response-times').state === 'pass',
    );
    for (const id of ['error-rate', 'response-times']) {
      const evidence = item(green, id).evidence!;
      expect(evidence.sourceError).toBeNull();
      // The data's fetch, not the evaluation, dates the evidence.
      expect(Date.parse(evidence.dataFetchedAt!)).toBeLessThanOrEqual(Date.parse(evidence.evaluatedAt));
    }

    await app.control('POST', 'faults', {
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'error5xx',
    });
    // Failing for longer than the freshness window, on the scenario clock.
    await app.control('POST', 'clock/advance', { seconds: freshnessSeconds + 40 });
    const failing = await waitFor(async () => {
      const { metrics } = (await app.get<Overview>('/api/v1/overview')).body.sources;
      return metrics.error ? metrics : undefined;
    }, 20_000);
    const stale = await evaluateUntil(
      (d) => item(d, 'error-rate').state === 'stale' && item(d, 'response-times').state === 'stale',
    );
    for (const id of ['error-rate', 'response-times']) {
      const it = item(stale, id);
      expect(it.evidence?.sourceError).toEqual({
        source: 'metrics',
        code: failing.error!.code,
        message: failing.error!.message,
      });
      expect(it.reason).toMatch(/^data from \d+ (s|min) ago — metrics source failing: /);
      expect(it.reason).toContain(failing.error!.code);
    }
    expect(stale.verdict).toMatchObject({ gate: 'healthy', verdict: 'NO-GO' });
    expect(stale.verdict.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Error rates at zero .*: stale, data from .* metrics source failing/),
      ]),
    );

    await app.control('DELETE', 'faults');
    const back = await evaluateUntil(
      (d) => item(d, 'error-rate').state === 'pass' && item(d, 'response-times').state === 'pass',
    );
    for (const id of ['error-rate', 'response-times'])
      expect(item(back, id).evidence?.sourceError).toBeNull();
  }, 90_000);

  it('keeps counting schema errors logged after the migration once the logs panel’s window has moved past them', async () => {
    const migratedAt = (await detail()).deploy.migratedAt!;
    const clean = await evaluateUntil((d) => item(d, 'schema-errors').state === 'pass');
    expect(item(clean, 'schema-errors').evidence?.value).toBe(
      `0 schema errors since ${migratedAt.slice(11, 16)} UTC, the migration`,
    );
    const message =
      'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedColumn) column "digest_hour" does not exist';
    app.sandbox!.scenario.writeLogLine(storyNames.backendFunction, message);
    app.sandbox!.scenario.writeLogLine(storyNames.workerFunction, message);
    const red = await evaluateUntil((d) => item(d, 'schema-errors').state === 'fail');
    expect(item(red, 'schema-errors').evidence?.value).toBe(
      `2 schema errors since ${migratedAt.slice(11, 16)} UTC, the migration`,
    );
    // A line CloudWatch ingests late (stamped 5 s back) counts once, however often the count runs.
    app.sandbox!.scenario.writeLogLine(storyNames.workerFunction, message, 5);
    await evaluateUntil(
      (d) => item(d, 'schema-errors').evidence?.value.startsWith('3 schema errors') ?? false,
    );

    // The logs panel's 15-minute window moves past them.
    await app.control('POST', 'clock/advance', { seconds: 16 * 60 });
    await waitFor(async () => {
      const { logs } = (await app.get<Overview>('/api/v1/overview')).body.sources;
      return logs.data && logs.data.schemaErrors.every((s) => s.count === 0) ? true : undefined;
    }, 20_000);
    for (let i = 0; i < 3; i++) await app.deploys!.evaluator.evaluateNow();
    const later = await evaluateUntil((d) => {
      const evidence = item(d, 'schema-errors').evidence;
      // Counted up to the scenario's now, not just repeated from before the clock moved.
      return evidence !== null && Date.parse(evidence.dataFetchedAt!) > Date.parse(migratedAt) + 27 * 60_000;
    });
    expect(item(later, 'schema-errors')).toMatchObject({
      state: 'fail',
      evidence: { value: `3 schema errors since ${migratedAt.slice(11, 16)} UTC, the migration` },
    });
  }, 90_000);

  it('an endpoint without percentiles leaves the error-rate item green and makes the p99 item stale, saying why', async () => {
    await evaluateUntil(
      (d) => item(d, 'error-rate').state === 'pass' && item(d, 'response-times').state === 'pass',
    );
    await app.control('POST', 'faults', {
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'percentiles-unsupported',
    });
    const unavailable = await evaluateUntil((d) => item(d, 'response-times').state === 'stale');
    const p99 = item(unavailable, 'response-times');
    expect(p99.evidence).toMatchObject({
      passed: false,
      value: expect.stringMatching(/^p99 unavailable from this endpoint: /),
      sourceError: { source: 'metrics', code: 'PercentilesUnavailable' },
    });
    expect(p99.reason).toMatch(
      /metrics source failing: PercentilesUnavailable: p99 unavailable from this endpoint/,
    );
    // The counts still answer: the error-rate item judges them.
    expect(item(unavailable, 'error-rate')).toMatchObject({ state: 'pass', evidence: { sourceError: null } });
    await app.control('DELETE', 'faults');
    await evaluateUntil((d) => item(d, 'response-times').state === 'pass');
  }, 60_000);

  it('fails the p99 item when only the worker slows down, the backend still within its own baseline', async () => {
    const before = await evaluateUntil((d) => item(d, 'response-times').state === 'pass');
    const workerBaseline = before.deploy.baselineMetrics!.p99ByFunction!.find(
      (f) => f.functionName === storyNames.workerFunction,
    )!.p99Ms!;
    // Worker jobs far slower than its baseline allows (× 1 + 500 %), a few in each of the last ten
    // scenario minutes; the backend's traffic is left alone.
    const scenario = app.sandbox!.scenario;
    const now = scenario.now();
    const slowMs = Math.round(workerBaseline * 20);
    for (let minute = 0; minute < 10; minute++)
      for (let k = 0; k < 4; k++) {
        const startMs = now - minute * 60_000 - 40_000 - k * 1_000;
        scenario.recordInvocation({
          functionName: storyNames.workerFunction,
          startMs,
          durationMs: slowMs,
          failed: false,
          version: scenario.aliasVersionAt(storyNames.workerFunction, startMs),
          resource: `${storyNames.workerFunction}:${storyNames.alias}`,
          requestId: `slow-${startMs.toString(36)}-${k}`,
          memoryUsedMb: 140,
          lines: [],
        });
      }
    await app.control('POST', 'clock/advance', { seconds: 1 });
    const slow = await evaluateUntil((d) => item(d, 'response-times').state === 'fail');
    const [backend, worker] = item(slow, 'response-times').evidence!.value.split('; ');
    expect(backend).toMatch(/^Backend API: p99 [\d.]+ ms against [\d.]+ ms, within /);
    expect(worker).toMatch(/^Worker: p99 [\d.]+ ms against [\d.]+ ms, over the limit /);
    expect(slow.verdict.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Response times normal .*Worker: p99 .* over the limit/),
      ]),
    );
  }, 60_000);
});
