// Evidence 5: every change made through the API leaves its audit row (who, what, parameters,
// result, correlation id), refused ones included; the log is readable by leads as JSON or CSV;
// and no code path updates or deletes an audit row.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditList } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMutation } from '../../platform/auth/access-rules.js';
// The sandbox's story deploy (modules/rollbacks/story-deploy.ts), named as a caller would.
const storyDeployId = 'story-2026-02-03';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

let app: TestApp;
let ops: Record<string, string>;

beforeAll(async () => {
  app = await buildTestApp({ auth: { mutationsPerMinute: 1_000_000 } });
  ops = await app.signIn('ops');
}, 60_000);
afterAll(async () => app?.close());

async function change(method: string, path: string, body: unknown, headers = ops) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  return { status: response.status, correlationId: response.headers.get('x-request-id') };
}

const auditRows = async () => (await app.get<AuditList>('/api/v1/audit?limit=10000', 'lead')).body.entries;

describe('audit trail', () => {
  it('records each change with who, what, parameters and result, refusals included', async () => {
    const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
    await change('POST', '/api/v1/sandbox/clock/advance', { seconds: 60 });
    await change('POST', '/api/v1/rollbacks', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: backend,
      confirmation: backend,
    });
    await change('POST', '/api/v1/rollbacks', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: backend,
      confirmation: 'oops',
    });
    const rows = await waitFor(async () => {
      const r = await auditRows();
      return r.length >= 3 ? r : undefined;
    });
    const [refused, started, clock] = rows;
    expect(clock).toMatchObject({
      actor: expect.any(String),
      role: 'ops',
      action: 'POST /api/v1/sandbox/clock/advance',
      parameters: { seconds: 60 },
      result: '200',
    });
    // Written by the start itself, in the job row's transaction, in words.
    expect(started).toMatchObject({
      action: 'POST /api/v1/rollbacks',
      summary: expect.stringMatching(
        new RegExp(
          `^omar started rolling back lambda ${backend} from prod -> \\d+ to prod -> \\d+ \\(deploy ${storyDeployId}, job [0-9a-f-]{36}\\)$`,
        ),
      ),
      target: backend,
      parameters: { kind: 'lambda', confirmation: backend },
      result: expect.stringMatching(/^202 id [0-9a-f-]{36}$/),
    });
    expect(refused).toMatchObject({
      action: 'POST /api/v1/rollbacks',
      result: '400 ConfirmationMismatch',
      summary: expect.stringMatching(/^omar was refused \(400 ConfirmationMismatch\): start a rollback/),
      target: backend,
    });
    expect(new Set(rows.map((r) => r.correlationId)).size).toBe(rows.length);
  });

  it('every mutating route leaves a row when called, so a new route cannot forget', async () => {
    const mutating = Object.keys(app.app.access.rules).filter((rule) => isMutation(rule.split(' ')[0]!));
    for (const rule of mutating) {
      const [method, route] = rule.split(' ') as [string, string];
      await change(method, route.replace(':id', 'x'), {});
    }
    // Refusals of a route already refused this minute are counted into one summary row, written
    // when the minute ends (refusal-digest.ts): what matters here is that every route has a row.
    const rows = await waitFor(async () => {
      const actions = new Set((await auditRows()).map((r) => r.action));
      return mutating.every((rule) => actions.has(rule)) ? actions : undefined;
    });
    for (const rule of mutating) expect(rows, rule).toContain(rule);
  });

  it('filters, exports CSV and JSON, and is for leads and ops only', async () => {
    const filtered = await app.get<AuditList>('/api/v1/audit?action=clock', 'lead');
    expect(filtered.body.entries.length).toBeGreaterThan(0);
    expect(filtered.body.entries.every((e) => e.action.includes('clock'))).toBe(true);

    const csv = await fetch(`${app.url}/api/v1/audit?format=csv&action=clock`, {
      headers: { cookie: (await app.signIn('lead')).cookie! },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('at,actor,role,summary,target,result,action,wallAt,correlationId,parameters');
    expect(lines.slice(1).every((l) => l.includes('POST /api/v1/sandbox/clock/advance'))).toBe(true);
    expect(lines.some((l) => l.endsWith(',"{""seconds"":60}"'))).toBe(true);
    expect(lines.slice(1).some((l) => l.includes('omar asked to move the scenario clock forward'))).toBe(
      true,
    );

    expect((await app.get('/api/v1/audit', 'viewer')).status).toBe(403);
    const bad = await app.get<{ error: { message: string } }>('/api/v1/audit?since=yesterday', 'lead');
    expect(bad.status).toBe(400);
  });
});

describe('append-only', () => {
  const srcRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
  const sourceFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'dist') return [];
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
    });

  it('no source file updates or deletes an audit row', () => {
    const files = [...sourceFiles(join(srcRoot, 'apps')), ...sourceFiles(join(srcRoot, 'packages'))];
    expect(files.length).toBeGreaterThan(50);
    const forbidden = [
      /updateTable\(\s*['"]audit_log['"]/,
      /deleteFrom\(\s*['"]audit_log['"]/,
      /\bUPDATE\s+audit_log\b/i,
      /\bDELETE\s+FROM\s+audit_log\b/i,
      /\bTRUNCATE\s+(TABLE\s+)?audit_log\b/i,
    ];
    const offenders = files.filter((file) => forbidden.some((re) => re.test(readFileSync(file, 'utf8'))));
    expect(offenders).toEqual([]);
  });
});
