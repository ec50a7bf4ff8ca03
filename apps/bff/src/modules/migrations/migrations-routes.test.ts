import type { MigrationHistory } from '@flightdeck/contracts';
import { storyNames } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

const storyPending = ['20260115_0300', '20260127_0100', '7702d353e5b8', '20260131_0000'];
const missingTables = ['provider_credentials', 'coordinator_notification_preferences', 'payment_methods'];

async function history(app: TestApp) {
  const { status, body } = await app.get<MigrationHistory>('/api/v1/migrations');
  expect(status).toBe(200);
  return body.history;
}

/** The next analysis whose database reading is newer than `since` and passes `check`. */
function nextReading(app: TestApp, since: number, check: (h: MigrationHistory['history']) => boolean) {
  return waitFor(async () => {
    const h = await history(app);
    return h.data?.database.readAt && Date.parse(h.data.database.readAt) > since && check(h) ? h : undefined;
  }, 20_000);
}

/** The story, read one way or the other: before the migrations and after the sandbox applies them. */
function storyChecks(via: 'direct' | 'lambda', app: () => TestApp) {
  it(`shows the story's four pending migrations, what each does and 3 tables and 22 columns missing (${via})`, async () => {
    const h = await waitFor(async () => {
      const state = await history(app());
      return state.data?.database.readAt ? state : undefined;
    });
    const data = h.data!;
    expect(data.database).toMatchObject({ via, error: null });
    expect(data.report.position).toMatchObject({
      current: [storyNames.currentRevision],
      pending: storyPending,
      unknown: [],
      upToDate: false,
    });
    expect(data.report.heads).toEqual([storyNames.headRevision]);
    expect(data.report.revisions.find((r) => r.state === 'current')?.revision).toBe('20260115_0200');

    const counts = Object.fromEntries(data.report.migrations.map((m) => [m.revision, m.counts]));
    expect(counts).toEqual({
      '20260115_0300': { tables: 1, columns: 0, indexes: 4, enumValues: 0 },
      '20260127_0100': { tables: 0, columns: 0, indexes: 0, enumValues: 1 },
      '7702d353e5b8': { tables: 1, columns: 0, indexes: 1, enumValues: 0 },
      '20260131_0000': { tables: 1, columns: 22, indexes: 2, enumValues: 0 },
    });
    expect(data.report.totals).toEqual({ tables: 3, columns: 22, indexes: 7, enumValues: 1 });
    expect(data.createdTables.find((t) => t.revision === '7702d353e5b8')?.columns).toHaveLength(11);

    expect(data.report.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'reserved-keyword-identifier',
        severity: 'warning',
        revision: '20260131_0000',
        table: 'providers',
      }),
    );

    const drift = data.report.drift!;
    expect(drift.summary).toBe('3 tables and 22 columns missing');
    expect(drift.missingTables).toEqual(missingTables);
    expect(drift.missingColumns).toHaveLength(22);
    expect(drift.missingColumns).toContainEqual({ table: 'providers', column: 'references' });
    expect(drift.missingColumns).toContainEqual({ table: 'licenses', column: 'portal_pin' });
    expect(data.missingEnumValues).toEqual(['coordinator_action_type.stage_changed']);
  });

  it(`says up to date with nothing missing once the sandbox applies the migrations (${via})`, async () => {
    const appliedAt = Date.now();
    await app().control('POST', 'migrations/apply');
    const h = await nextReading(app(), appliedAt, (state) => state.data!.report.position?.upToDate === true);
    const data = h.data!;
    expect(data.report.position).toMatchObject({ current: [storyNames.headRevision], pending: [] });
    expect(data.report.migrations).toEqual([]);
    expect(data.report.drift).toMatchObject({
      missingTables: [],
      missingColumns: [],
      summary: 'nothing missing',
    });
    expect(data.missingEnumValues).toEqual([]);
    // The history and what each revision did stay on the page after the deploy.
    expect(data.revisionSummaries.find((m) => m.revision === '20260131_0000')?.counts.columns).toBe(22);
    // And what the lint found in them: the unquoted reserved word of the last one, now applied.
    expect(
      data.appliedFindings?.filter((f) => f.revision === '20260131_0000').map((f) => f.ruleId),
    ).toContain('reserved-keyword-identifier');
    // Nothing holds the next deploy back: the report's findings are about what is still to run.
    expect(data.report.findings.filter((f) => f.revision === '20260131_0000')).toEqual([]);
  });
}

describe('GET /api/v1/migrations against the sandbox, database read directly (pg)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is for signed-in people only', async () => {
    expect((await app.get('/api/v1/migrations', 'anonymous')).status).toBe(401);
  });

  storyChecks('direct', () => app);
});

describe('GET /api/v1/migrations against the sandbox, database read through the SQL Lambda', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ database: { via: 'lambda', sqlFunction: storyNames.sqlFunction } });
  });
  afterAll(async () => {
    await app?.close();
  });

  storyChecks('lambda', () => app);

  it('keeps the history and the last reading, with the error, while the SQL function fails', async () => {
    await waitFor(async () => ((await history(app)).data?.database.readAt ? true : undefined));
    await app.control('POST', 'faults', { service: 'Lambda', operation: 'Invoke', kind: 'error5xx' });
    try {
      const injectedAt = Date.now();
      const h = await waitFor(async () => {
        const state = await history(app);
        const error = state.data?.database.error;
        return error && Date.parse(error.at) > injectedAt ? state : undefined;
      }, 20_000);
      const data = h.data!;
      expect(h.error).toBeNull(); // the page itself is fine: only the database part is degraded
      expect(Date.parse(data.database.readAt!)).toBeLessThan(Date.parse(data.database.error!.at));
      expect(data.report.revisions).toHaveLength(9);
      expect(data.report.position).not.toBeNull();
      expect(data.report.drift).not.toBeNull();
    } finally {
      await app.control('DELETE', 'faults');
    }
  });
});
