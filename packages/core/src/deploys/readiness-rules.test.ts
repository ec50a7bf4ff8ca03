import { describe, expect, it } from 'vitest';
import { evaluateRule, type LiveFacts, type RuleSettings } from './readiness-rules.js';

const settings: RuleSettings = { snapshotMaxAgeHours: 24, p99TolerancePercent: 20, baselineP99Ms: 5 };
const now = '2026-02-03T07:00:00.000Z';
const empty: LiveFacts = {
  now,
  snapshot: null,
  alembic: null,
  driftCount: null,
  errorWindow: null,
  p99Ms: null,
  schemaErrorsSinceMigration: null,
  health: [],
  aliases: null,
  targetRevision: null,
};

describe('readiness rules', () => {
  it('leaves an item pending (null) while its source has not answered', () => {
    expect(evaluateRule({ type: 'snapshot-available' }, empty, settings)).toBeNull();
    expect(
      evaluateRule(
        { type: 'p99-within-baseline' },
        { ...empty, p99Ms: 4 },
        { ...settings, baselineP99Ms: null },
      ),
    ).toBeNull();
  });

  it('keeps a snapshot still creating waiting (pending, not failed) and says its progress', () => {
    const r = evaluateRule(
      { type: 'snapshot-available' },
      { ...empty, snapshot: { identifier: 's', status: 'creating', percentProgress: 40, createdAt: now } },
      settings,
    );
    expect(r).toMatchObject({ passed: false, waiting: true, value: 'creating (40 %)' });
  });

  it('fails an available snapshot that is months old, saying so', () => {
    const r = evaluateRule(
      { type: 'snapshot-available' },
      {
        ...empty,
        snapshot: {
          identifier: 's',
          status: 'available',
          percentProgress: 100,
          createdAt: '2025-10-01T00:00:00Z',
        },
      },
      settings,
    );
    expect(r?.passed).toBe(false);
    expect(r?.value).toMatch(/available but \d+ days old: too old/);
  });

  it('passes a fresh available snapshot', () => {
    const r = evaluateRule(
      { type: 'snapshot-available' },
      {
        ...empty,
        snapshot: {
          identifier: 's',
          status: 'available',
          percentProgress: 100,
          createdAt: '2026-02-03T06:30:00Z',
        },
      },
      settings,
    );
    expect(r).toMatchObject({ passed: true, value: 'available, 30 min old' });
  });

  it('checks the database is at head with nothing pending', () => {
    const behind = { current: ['20260115_0200'], heads: ['20260131_0000'], pending: ['a', 'b', 'c', 'd'] };
    expect(evaluateRule({ type: 'database-at-head' }, { ...empty, alembic: behind }, settings)).toMatchObject(
      {
        passed: false,
        value: 'at 20260115_0200, head 20260131_0000, 4 pending',
      },
    );
    const atHead = { current: ['20260131_0000'], heads: ['20260131_0000'], pending: [] };
    expect(evaluateRule({ type: 'database-at-head' }, { ...empty, alembic: atHead }, settings)?.passed).toBe(
      true,
    );
  });

  it('reports the error count and rate over the window', () => {
    const r = evaluateRule(
      { type: 'error-rate-zero' },
      { ...empty, errorWindow: { invocations: 200, errors: 3, minutes: 10 } },
      settings,
    );
    expect(r).toMatchObject({ passed: false, value: '3 errors in 200 invocations (1.50 %)' });
    expect(
      evaluateRule(
        { type: 'error-rate-zero' },
        { ...empty, errorWindow: { invocations: 200, errors: 0, minutes: 10 } },
        settings,
      )?.passed,
    ).toBe(true);
  });

  it('does not call an error window without traffic green', () => {
    const r = evaluateRule(
      { type: 'error-rate-zero' },
      { ...empty, errorWindow: { invocations: 0, errors: 0, minutes: 10 } },
      settings,
    );
    expect(r).toMatchObject({ passed: false, value: 'no invocations in the last 10 minutes' });
  });

  it('holds p99 to the baseline plus the tolerance', () => {
    expect(evaluateRule({ type: 'p99-within-baseline' }, { ...empty, p99Ms: 6 }, settings)?.passed).toBe(
      true,
    );
    expect(evaluateRule({ type: 'p99-within-baseline' }, { ...empty, p99Ms: 6.1 }, settings)?.passed).toBe(
      false,
    );
  });

  it('fails schema drift, schema errors and a health URL that does not answer 200', () => {
    expect(evaluateRule({ type: 'no-schema-drift' }, { ...empty, driftCount: 3 }, settings)?.passed).toBe(
      false,
    );
    expect(
      evaluateRule(
        { type: 'no-schema-errors-since-migration' },
        { ...empty, schemaErrorsSinceMigration: 1 },
        settings,
      )?.passed,
    ).toBe(false);
    expect(
      evaluateRule(
        { type: 'health-url-ok' },
        { ...empty, health: [{ url: 'http://x/health', status: 503, error: null }] },
        { ...settings, healthUrl: 'http://x/health' },
      ),
    ).toMatchObject({ passed: false, value: 'HTTP 503' });
  });

  it('says before the deploy that a $LATEST rollback target changes nothing', () => {
    const r = evaluateRule(
      { type: 'aliases-published' },
      {
        ...empty,
        aliases: [{ functionName: 'api', alias: 'prod', version: '7', rollbackTarget: '$LATEST' }],
      },
      settings,
    );
    expect(r?.passed).toBe(false);
    expect(r?.value).toContain(
      'api:prod has no published rollback target ($LATEST): pointing it back would change nothing',
    );
    const ok = evaluateRule(
      { type: 'aliases-published' },
      { ...empty, aliases: [{ functionName: 'api', alias: 'prod', version: '7', rollbackTarget: '6' }] },
      settings,
    );
    expect(ok?.passed).toBe(true);
  });

  it('takes its thresholds from the item, the deploys.* keys being the defaults', () => {
    const old = {
      ...empty,
      snapshot: {
        identifier: 's',
        status: 'available',
        percentProgress: 100,
        createdAt: '2026-02-02T07:00:00.000Z',
      },
    };
    expect(evaluateRule({ type: 'snapshot-available' }, old, settings)?.passed).toBe(true);
    expect(evaluateRule({ type: 'snapshot-available', maxAgeHours: 12 }, old, settings)).toMatchObject({
      passed: false,
      question: 'Is snapshot s available and younger than 12 h?',
    });
    expect(
      evaluateRule({ type: 'p99-within-baseline', tolerancePercent: 50 }, { ...empty, p99Ms: 7 }, settings)
        ?.passed,
    ).toBe(true);
  });

  it('holds the database to the release’s target, not only the code’s head', () => {
    const alembic = { current: ['b'], heads: ['c'], pending: ['c'] };
    expect(
      evaluateRule({ type: 'database-at-head' }, { ...empty, alembic, targetRevision: 'b' }, settings),
    ).toMatchObject({
      passed: true,
      value: 'at target b (head c)',
    });
    expect(
      evaluateRule({ type: 'database-at-head' }, { ...empty, alembic, targetRevision: 'c' }, settings)
        ?.passed,
    ).toBe(false);
  });
});

describe('per-function p99', () => {
  const fn = (functionName: string, label: string, p99Ms: number | null, invocations = 1500) => ({
    functionName,
    label,
    invocations,
    p99Ms,
  });
  const baseline = [fn('api', 'Backend', 25), fn('worker', 'Worker', 642, 150)];
  const withBaseline: RuleSettings = { ...settings, p99TolerancePercent: 50, baselineP99Ms: 642 };

  it('fails when only the worker’s p99 doubles, though the pooled figure would hide it', () => {
    const r = evaluateRule(
      { type: 'p99-within-baseline' },
      { ...empty, p99Ms: 30, p99ByFunction: [fn('api', 'Backend', 26), fn('worker', 'Worker', 1364, 150)] },
      { ...withBaseline, baselineP99ByFunction: baseline },
    );
    expect(r).toMatchObject({
      passed: false,
      question: "Is each function's p99 duration within 50 % of its own baseline?",
    });
    expect(r?.value).toBe(
      'Backend: p99 26 ms against 25 ms, within 37.5 ms (1500 invocations); Worker: p99 1364 ms against 642 ms, over the limit 963 ms (150 invocations)',
    );
  });

  it('passes when each function is within its own baseline, and lists each', () => {
    const r = evaluateRule(
      { type: 'p99-within-baseline' },
      { ...empty, p99Ms: 700, p99ByFunction: [fn('api', 'Backend', 30), fn('worker', 'Worker', 700, 150)] },
      { ...withBaseline, baselineP99ByFunction: baseline },
    );
    expect(r?.passed).toBe(true);
    expect(r?.value).toContain('Backend: p99 30 ms against 25 ms');
    expect(r?.value).toContain('Worker: p99 700 ms against 642 ms');
  });

  it('fails when only the backend regresses (a fast function is not hidden by a slow one)', () => {
    const r = evaluateRule(
      { type: 'p99-within-baseline' },
      { ...empty, p99Ms: 650, p99ByFunction: [fn('api', 'Backend', 60), fn('worker', 'Worker', 650, 150)] },
      { ...withBaseline, baselineP99ByFunction: baseline },
    );
    expect(r?.passed).toBe(false);
    expect(r?.value).toContain('Backend: p99 60 ms against 25 ms, over the limit 37.5 ms');
  });

  it('judges the pooled figure for deploys prepared before per-function baselines were kept', () => {
    const r = evaluateRule(
      { type: 'p99-within-baseline' },
      { ...empty, p99Ms: 900, p99ByFunction: [fn('api', 'Backend', 26), fn('worker', 'Worker', 900, 150)] },
      withBaseline,
    );
    expect(r).toMatchObject({ passed: true, value: 'p99 900 ms (limit 963 ms)' });
  });
});

describe('the age and the source of the data behind evidence', () => {
  const window = { invocations: 1200, errors: 0, minutes: 10 };
  it('records when the source’s data was fetched, not when it was judged', () => {
    const r = evaluateRule(
      { type: 'error-rate-zero' },
      {
        ...empty,
        errorWindow: window,
        sources: { metrics: { fetchedAt: '2026-02-03T06:54:00.000Z', error: null } },
      },
      settings,
    );
    expect(r).toMatchObject({ passed: true, dataFetchedAt: '2026-02-03T06:54:00.000Z', sourceError: null });
  });

  it('carries the failing source’s error with the last data it gave', () => {
    const r = evaluateRule(
      { type: 'error-rate-zero' },
      {
        ...empty,
        errorWindow: window,
        sources: {
          metrics: {
            fetchedAt: '2026-02-03T06:54:00.000Z',
            error: { code: 'InternalFailure', message: 'GetMetricData failed' },
          },
        },
      },
      settings,
    );
    expect(r?.sourceError).toEqual({
      source: 'metrics',
      code: 'InternalFailure',
      message: 'GetMetricData failed',
    });
  });

  it('a URL read during the evaluation is data of the evaluation’s own time', () => {
    const r = evaluateRule(
      { type: 'health-url-ok', url: 'http://h' },
      { ...empty, health: [{ url: 'http://h', status: 200, error: null }] },
      settings,
    );
    expect(r?.dataFetchedAt).toBe(now);
  });

  it('says from when schema errors are counted', () => {
    const r = evaluateRule(
      { type: 'no-schema-errors-since-migration' },
      {
        ...empty,
        schemaErrorsSinceMigration: 3,
        schemaErrorsCountedFrom: '2026-02-03T06:31:12.000Z',
        sources: { 'schema-errors': { fetchedAt: now, error: null } },
      },
      settings,
    );
    expect(r).toMatchObject({ passed: false, value: '3 schema errors since 06:31 UTC, the migration' });
  });

  it('a p99 the endpoint cannot compute is stale with the reason, not green or silent', () => {
    const reason = 'p99 unavailable from this endpoint: InternalFailure: percentiles are not supported';
    const r = evaluateRule(
      { type: 'p99-within-baseline' },
      {
        ...empty,
        p99Unavailable: reason,
        sources: { metrics: { fetchedAt: now, error: null } },
      },
      settings,
    );
    expect(r).toMatchObject({
      passed: false,
      value: reason,
      sourceError: { source: 'metrics', code: 'PercentilesUnavailable', message: reason },
    });
  });

  it('counts from the release for a release without migrations', () => {
    const r = evaluateRule(
      { type: 'no-schema-errors-since-migration' },
      {
        ...empty,
        schemaErrorsSinceMigration: 0,
        schemaErrorsCountedFrom: '2026-02-03T06:31:12.000Z',
        schemaErrorsCountedFromWhat: 'the release',
      },
      settings,
    );
    expect(r).toMatchObject({ passed: true, value: '0 schema errors since 06:31 UTC, the release' });
  });
});
