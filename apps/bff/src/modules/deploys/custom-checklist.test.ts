import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeployDetail } from '@flightdeck/contracts';
import { startSandbox, storyNames, type Sandbox } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../config.js';
import type { Role } from '../../config.js';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

/** A team's own checklist: a body text over HTTP, a query, a metric, an alarm, two leads. */
const teamChecklist = (awsEndpoint: string) => [
  { id: 'snapshot', phase: 'pre-deploy', title: 'Snapshot available', rule: { type: 'snapshot-available' } },
  {
    id: 'backend-alarm',
    phase: 'pre-deploy',
    title: 'Backend errors alarm is OK',
    rule: { type: 'cloudwatch-alarm', alarmNames: ['backend-api-errors'] },
  },
  {
    id: 'qa',
    phase: 'pre-deploy',
    title: 'QA signed by two leads',
    signOffs: 2,
    description: 'Both leads of the release',
  },
  {
    id: 'new-tables',
    phase: 'during',
    title: 'The three new tables exist',
    rule: {
      type: 'sql-check',
      sql: "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('coordinator_notification_preferences', 'provider_credentials', 'payment_methods')",
      expect: 3,
    },
  },
  {
    id: 'prefs-endpoint',
    phase: 'post-deploy',
    title: 'Notification preferences answer',
    rule: {
      type: 'http-check',
      urls: [`${awsEndpoint}/_sandbox/health`],
      bodyContains: 'all endpoints answer',
    },
  },
  {
    id: 'backend-errors',
    phase: 'post-deploy',
    title: 'Backend errors at zero',
    rule: {
      type: 'metric-threshold',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: storyNames.backendFunction },
      statistic: 'Sum',
      windowMinutes: 5,
      comparison: '<=',
      threshold: 0,
    },
  },
];

describe('a team’s own checklist from the config', () => {
  let sandbox: Sandbox;
  let app: TestApp;
  let deployId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'flightdeck-checklist-'));
  const start = (checklist: unknown[]) =>
    buildTestApp(
      {
        deploys: { evaluateMs: 3_600_000, checklist, preparerMaySignOff: true },
        store: { dataDir },
        auth: { mutationsPerMinute: 1_000_000 },
      },
      { sandbox },
    );
  const change = async (role: Role, path: string, body: unknown = {}) => {
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
  };
  const detail = async () => (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body;
  const item = (d: DeployDetail, id: string) => d.checklist.find((i) => i.id === id)!;
  const evaluateUntil = (check: (d: DeployDetail) => boolean) =>
    waitFor(async () => {
      await app.deploys!.evaluator.evaluateNow();
      const d = await detail();
      return check(d) ? d : undefined;
    }, 20_000);

  beforeAll(async () => {
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
    app = await start(teamChecklist(sandbox.awsEndpoint));
    await waitFor(async () =>
      (await app.get<any>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
    );
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prepares a deploy with the configured items, each rule’s evidence stored and shown', async () => {
    const prepared = await change('ops', '/api/v1/deploys', { release: { name: 'v3.0.0' } });
    expect(prepared.status).toBe(201);
    deployId = prepared.body.id;
    const d = await evaluateUntil((x) => item(x, 'backend-alarm').evidence !== null);
    expect(d.checklist.map((i) => i.id)).toEqual([
      'snapshot',
      'backend-alarm',
      'qa',
      'new-tables',
      'prefs-endpoint',
      'backend-errors',
      'watch-1h',
      'watch-6h',
      'watch-24h',
    ]);
    // Before the migration the story's backend fails: its alarm says so.
    expect(item(d, 'backend-alarm')).toMatchObject({
      state: 'fail',
      evidence: {
        question: 'Are the CloudWatch alarms backend-api-errors in state OK (DescribeAlarms)?',
        value: expect.stringMatching(/^backend-api-errors: ALARM \(Threshold Crossed: \d+ errors/),
      },
    });
    expect(item(d, 'qa')).toMatchObject({ signOffsNeeded: 2, description: 'Both leads of the release' });
  });

  it('needs the second lead’s sign-off; one lead twice counts once', async () => {
    const path = `/api/v1/deploys/${deployId}/items/qa/sign-off`;
    const first = await change('lead', path, { comment: 'QA passed' });
    expect(item(first.body, 'qa')).toMatchObject({
      state: 'pending',
      reason: expect.stringContaining('1 of 2'),
    });
    const twice = await change('lead', path, { comment: 'QA passed, again' });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'AlreadySignedOff' } } });
    expect(twice.body.error.message).toContain('one lead counts once');
    const second = await change('ops', path, { comment: 'QA report read' });
    expect(item(second.body, 'qa')).toMatchObject({ state: 'signed-off' });
    expect(item(second.body, 'qa').signOffs.map((s: { by: string }) => s.by)).toEqual([
      'lee@sandbox.flightdeck',
      'omar@sandbox.flightdeck',
    ]);
  });

  it('judges the query, the URL with its body text and the metric after the migration', async () => {
    await app.control('POST', 'clock/advance', { seconds: 61 });
    await evaluateUntil((d) => d.deploy.phase === 'ready');
    await app.control('POST', 'migrations/apply');
    const d = await evaluateUntil(
      (x) =>
        x.deploy.phase === 'verifying' &&
        ['new-tables', 'prefs-endpoint'].every((id) => item(x, id).state === 'pass') &&
        item(x, 'backend-errors').evidence !== null,
    );
    expect(item(d, 'new-tables').evidence).toMatchObject({
      question: expect.stringContaining(
        'Does the read-only query `SELECT count(*) FROM information_schema.tables',
      ),
      value: '3 (1 row)',
    });
    expect(item(d, 'prefs-endpoint').evidence?.value).toBe(
      `${sandbox.awsEndpoint}/_sandbox/health: HTTP 200, body has "all endpoints answer"`,
    );
    expect(item(d, 'backend-errors').evidence?.question).toBe(
      `Is Sum of AWS/Lambda Errors {FunctionName=${storyNames.backendFunction}} over the last 5 minutes <= 0?`,
    );
    // Five minutes on, only post-migration traffic is in the window.
    await app.control('POST', 'clock/advance', { seconds: 6 * 60 });
    const clean = await evaluateUntil((x) => item(x, 'backend-errors').state === 'pass');
    expect(item(clean, 'backend-errors').evidence?.value).toBe('0');
  }, 60_000);

  it('keeps the checklist a deploy was prepared with when the config changes', async () => {
    const before = await detail();
    await app.app.close();
    app = await start([{ id: 'only-this', phase: 'pre-deploy', title: 'Something else' }]);
    const after = await detail();
    expect(after.checklist.map((i) => i.id)).toEqual(before.checklist.map((i) => i.id));
    expect(item(after, 'new-tables').evidence).toEqual(item(before, 'new-tables').evidence);
  }, 90_000);
});

describe('a bad checklist in the config', () => {
  it('names the key of an unknown type, a missing parameter and a duplicate id', () => {
    const bad = (checklist: unknown) => () => parseConfig({ deploys: { checklist } });
    expect(bad([{ id: 'a', phase: 'during', title: 'A', rule: { type: 'sql-chek' } }])).toThrow(
      /deploys\.checklist\.0\.rule\.type: must be one of "snapshot-available", .*"sql-check"/,
    );
    expect(
      bad([{ id: 'a', phase: 'during', title: 'A', rule: { type: 'sql-check', sql: 'select 1' } }]),
    ).toThrow(/deploys\.checklist\.0\.rule\.expect: required by rule type sql-check/);
    expect(
      bad([
        { id: 'a', phase: 'during', title: 'A' },
        { id: 'a', phase: 'during', title: 'B' },
      ]),
    ).toThrow(/deploys\.checklist\.1\.id: "a" is used twice/);
    expect(bad([])).toThrow(ConfigError);
  });

  it('stops start-up with exit code 2 naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flightdeck-bad-checklist-'));
    try {
      const file = join(dir, 'flightdeck.json');
      writeFileSync(
        file,
        JSON.stringify({
          deploys: { checklist: [{ id: 'x', phase: 'soon', title: 'X', rule: { type: 'http-check' } }] },
        }),
      );
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('../../main.ts', import.meta.url))],
        { env: { ...process.env, FLIGHTDECK_CONFIG: file }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        /deploys\.checklist\.0\.phase: must be one of "pre-deploy", "during", "post-deploy", "monitoring"/,
      );
      expect(result.stderr).toMatch(/deploys\.checklist\.0\.rule\.urls: required by rule type http-check/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
