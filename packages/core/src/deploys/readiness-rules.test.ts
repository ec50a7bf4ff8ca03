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
