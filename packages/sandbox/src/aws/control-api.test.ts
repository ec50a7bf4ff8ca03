import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../start-sandbox.js';
import { storyNames } from '../story.js';
import { startStorySandbox, storyMoment } from '../testing/sandbox-clients.js';

const newTables = ['provider_credentials', 'coordinator_notification_preferences', 'payment_methods'];
const addedColumns = `
  SELECT count(*)::int AS n FROM information_schema.columns
   WHERE (table_name = 'providers' AND column_name IN ('home_address', 'home_city', 'home_state', 'home_zip', 'place_of_birth',
          'height', 'weight', 'gender', 'race', 'previous_names', 'name_change_documents', 'citizenship_status',
          'green_card_uscis_number', 'employer_start_date', 'references', 'fcvs_fid', 'aoa_number', 'disclosure_notes',
          'renewal_preferences', 'cv_reference'))
      OR (table_name = 'licenses' AND column_name IN ('portal_pin', 'renewal_notes'))`;

describe('control API (/_sandbox) and the demo database', () => {
  let sandbox: Sandbox;
  let database: pg.Pool;
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.awsEndpoint}/_sandbox/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const schema = async () => {
    const revision = await database.query('SELECT version_num FROM alembic_version');
    const tables = await database.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`,
      [newTables],
    );
    const columns = await database.query(addedColumns);
    return {
      revision: revision.rows.map((r) => r.version_num),
      tables: tables.rows[0].n,
      columns: columns.rows[0].n,
    };
  };

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    database = new pg.Pool({ connectionString: sandbox.databaseUrl, max: 3 });
  });
  afterAll(async () => {
    await database?.end();
    await sandbox?.close();
  });

  it('reports the state at the story start', async () => {
    const { status, body } = await control('GET', 'state');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      clock: { realMs: storyMoment, scenarioMs: storyMoment, advancedMs: 0 },
      scenarioTime: '2026-02-03T06:35:00.000Z',
      revision: [storyNames.currentRevision],
      pending: ['20260115_0300', '20260127_0100', '7702d353e5b8', storyNames.headRevision],
      migrationsAppliedAt: null,
      faults: [],
    });
    expect(body.aliases).toContainEqual({
      functionName: storyNames.backendFunction,
      alias: 'prod',
      functionVersion: '14',
    });
    expect(body.timeline.map((e: { kind: string }) => e.kind)).toContain('alias-changed');
    expect(await schema()).toEqual({ revision: [storyNames.currentRevision], tables: 0, columns: 0 });
  });

  it('applies the migrations once, in one go, and says so the second time', async () => {
    await control('POST', 'clock/advance', { seconds: 120 });
    const first = await control('POST', 'migrations/apply');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      applied: ['20260115_0300', '20260127_0100', '7702d353e5b8', storyNames.headRevision],
      revision: [storyNames.headRevision],
      migrationsAppliedAt: '2026-02-03T06:37:00.000Z',
    });
    expect(await schema()).toEqual({ revision: [storyNames.headRevision], tables: 3, columns: 22 });
    const second = await control('POST', 'migrations/apply', {});
    expect(second.body).toMatchObject({ applied: [], message: expect.stringMatching(/Nothing pending/) });
    const timeline = await control('GET', 'timeline');
    expect(
      timeline.body.timeline.filter((e: { kind: string }) => e.kind === 'migration-applied'),
    ).toHaveLength(4);
    expect((await control('GET', 'state')).body).toMatchObject({
      pending: [],
      migrationsAppliedAt: '2026-02-03T06:37:00.000Z',
    });
  });

  it('injects, lists and clears faults', async () => {
    const added = await control('POST', 'faults', {
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'latency',
      latencyMs: 10,
      remaining: 3,
    });
    expect(added.status).toBe(200);
    await control('POST', 'faults', { service: 'RDS', operation: 'DescribeDBInstances', kind: 'hang' });
    await control('POST', 'faults', { service: 'RDS', operation: 'DescribeDBSnapshots', kind: 'throttle' });
    expect((await control('GET', 'state')).body.faults).toHaveLength(3);
    await control('DELETE', 'faults/RDS/DescribeDBInstances');
    expect(
      (await control('GET', 'faults')).body.faults.map((f: { operation: string }) => f.operation),
    ).toEqual(['GetMetricData', 'DescribeDBSnapshots']);
    await control('DELETE', 'faults');
    expect((await control('GET', 'faults')).body.faults).toEqual([]);
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', 'faults', { service: 'S3', operation: 'GetObject', kind: 'hang' }],
      ['POST', 'faults', { service: 'RDS', operation: 'DescribeDBInstances', kind: 'explode' }],
      [
        'POST',
        'faults',
        { service: 'RDS', operation: 'DescribeDBInstances', kind: 'latency', latencyMs: 'slow' },
      ],
      ['POST', 'faults', ['not', 'an', 'object']],
      ['POST', 'clock/advance', { seconds: -5 }],
      ['POST', 'clock/advance', { seconds: 60, extra: true }],
      ['POST', 'clock/advance', {}],
      ['POST', 'migrations/apply', { force: true }],
      ['DELETE', 'faults/Nope', undefined],
      ['POST', `functions/${storyNames.backendFunction}/log`, { message: 'x', lateSeconds: -1 }],
      ['POST', `functions/${storyNames.backendFunction}/log`, { message: 'x', lateSeconds: 7200 }],
      ['POST', `functions/${storyNames.backendFunction}/log`, { message: 'x', lateSeconds: '40' }],
      ['POST', `functions/${storyNames.backendFunction}/errors`, { count: 0 }],
      ['POST', `functions/${storyNames.backendFunction}/errors`, { count: '5' }],
      ['POST', `functions/${storyNames.backendFunction}/errors`, { count: 5, kind: 'timeout' }],
      ['POST', 'functions/no-such-function/errors', { count: 5 }],
    ];
    const before = (await control('GET', 'state')).body;
    for (const [method, path, body] of cases) {
      const response = await control(method, path, body);
      expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(response.body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    }
    const raw = await fetch(`${sandbox.awsEndpoint}/_sandbox/faults`, { method: 'POST', body: '{oops' });
    expect(raw.status).toBe(400);
    expect((await control('GET', 'state')).body).toEqual(before);
    expect((await control('GET', 'nope')).status).toBe(404);
  });

  it('counts AWS calls and resets the count', async () => {
    await control('DELETE', 'calls');
    await fetch(sandbox.awsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect((await control('GET', 'calls')).body).toEqual({
      total: 1,
      byOperation: { 'STS.GetCallerIdentity': 1 },
    });
    expect((await control('DELETE', 'calls')).body).toEqual({ total: 0, byOperation: {} });
  });

  it('resets to the story start: database, clock, timeline, aliases', async () => {
    await sandbox.scenario.injectFault({ service: 'STS', operation: 'GetCallerIdentity', kind: 'throttle' });
    const { status, body } = await control('POST', 'reset');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      clock: { advancedMs: 0 },
      revision: [storyNames.currentRevision],
      migrationsAppliedAt: null,
      faults: [],
    });
    expect(body.timeline.some((e: { kind: string }) => e.kind === 'migration-applied')).toBe(false);
    expect(await schema()).toEqual({ revision: [storyNames.currentRevision], tables: 0, columns: 0 });
  });

  it('notices migrations applied straight through pg', async () => {
    const client = await database.connect();
    try {
      await client.query('BEGIN');
      for (const revision of ['20260115_0300', '20260127_0100', '7702d353e5b8', storyNames.headRevision])
        await client.query((await import('../demo-db/migration-files.js')).revisionSql(revision));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { body } = await control('GET', 'state');
    expect(body).toMatchObject({
      revision: [storyNames.headRevision],
      pending: [],
      migrationsAppliedAt: '2026-02-03T06:35:00.000Z',
    });
    expect(sandbox.scenario.notificationPreferencesMissingAt(sandbox.scenario.now())).toBe(false);
  });
});
