// The release pipeline's commands end to end: the production build of the CLI
// (`node apps/bff/dist/cli.js deploy …`, as a child process) against a running Flightdeck on the
// sandbox, with an ops API token issued through the API. Nothing here reaches into the BFF: the
// CLI sees what a pipeline sees.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployDetail } from '@flightdeck/contracts';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';

const bffDir = fileURLToPath(new URL('../../apps/bff/', import.meta.url));
const cli = fileURLToPath(new URL('../../apps/bff/dist/cli.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('flightdeck deploy (the built CLI) against Flightdeck on the sandbox', () => {
  let app: TestApp;
  let token: string;
  const running = new Set<ReturnType<typeof spawn>>();

  /** `node apps/bff/dist/cli.js deploy …` with the pipeline's environment and nothing of the workspace's. */
  const start = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [cli, 'deploy', ...args], {
      cwd: bffDir,
      env: { PATH: process.env.PATH ?? '', FLIGHTDECK_URL: app.url, FLIGHTDECK_TOKEN: token, ...env },
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const result = new Promise<Run>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        running.delete(child);
        resolve({ code, stdout, stderr });
      });
    });
    return { result, stdout: () => stdout };
  };
  const deploy = (args: string[], env: Record<string, string> = {}) => start(args, env).result;
  const post = async (role: 'ops' | 'lead', path: string, body: unknown) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...(await app.signIn(role)),
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
  const detail = async (id: string) => (await app.get<DeployDetail>(`/api/v1/deploys/${id}`)).body;

  beforeAll(async () => {
    // The production build: the CLI as a pipeline runs it, with no dev dependency.
    const built = spawnSync(process.execPath, ['build.mjs'], { cwd: bffDir, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`the BFF build failed: ${built.stderr}`);
    app = await buildTestApp({
      // The leader evaluates on its own, as in production, only more often.
      deploys: { evaluateMs: 500, p99TolerancePercent: 500 },
      auth: { mutationsPerMinute: 1_000_000 },
    });
    await waitFor(async () =>
      (await app.get<{ sources: { lambda: { data: unknown } } }>('/api/v1/overview')).body.sources.lambda.data
        ? true
        : undefined,
    );
    // An ops token, issued by a signed-in ops person through the API, as the Tokens page does.
    const issued = await post('ops', '/api/v1/tokens', { name: 'release-pipeline', role: 'ops' });
    expect(issued.status).toBe(201);
    token = ((await issued.json()) as { token: string }).token;
  }, 120_000);
  afterAll(async () => {
    for (const child of running) child.kill();
    await app?.close();
  });

  it('a wrong token is exit 3, and nothing is prepared', async () => {
    const refused = await deploy(['prepare', '--release-name', 'v2.14.0'], {
      FLIGHTDECK_TOKEN: `fd_${'A'.repeat(43)}`,
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Flightdeck refused the token (401)');
    expect(refused.stderr).not.toContain('A'.repeat(43));
    const unreachable = await deploy(['status', 'x'], { FLIGHTDECK_URL: 'http://127.0.0.1:1' });
    expect(unreachable.code).toBe(3);
    expect((await app.get<{ deploys: unknown[] }>('/api/v1/deploys')).body.deploys).toEqual([]);
  });

  it('wait on a deploy that is cancelled meanwhile is exit 1, saying so', async () => {
    const prepared = await deploy(['prepare', '--release-name', 'v2.13.9']);
    expect(prepared.code, prepared.stderr).toBe(0);
    const id = prepared.stdout.trim();
    const wait = start(['wait', id, '--for', 'go', '--timeout', '60s']);
    // The stream is open once the wait has printed where the deploy stands.
    await waitFor(() => (wait.stdout().includes('waiting for go') ? true : undefined), 20_000);
    const cancelled = await deploy(['cancel', id, '--reason', 'wrong tag']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain(`Deploy ${id} is cancelled`);
    const result = await wait.result;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Deploy ${id} is preparing; waiting for go`);
    expect(result.stderr).toMatch(
      new RegExp(`deploy ${id} ended cancelled before go: cancelled by token release-pipeline .*: wrong tag`),
    );
    expect(result.stderr).toContain('wrong tag');
    // Waiting on a deploy that already ended says so at once.
    expect((await deploy(['wait', id, '--for', 'go'])).code).toBe(1);
    // Its snapshot stays; the database is busy until it is taken (the next prepare takes its own).
    await app.control('POST', 'clock/advance', { seconds: 61 });
  }, 90_000);

  it('prepare → wait for GO is 1 with the reasons while items are pending, 0 once they pass; then the migration and status', async () => {
    const prepared = await deploy([
      'prepare',
      '--release-name',
      'v2.14.0',
      '--commit',
      '4f2a9e1',
      '--release-url',
      'https://example.invalid/pr/812',
      '--json',
    ]);
    expect(prepared.code, prepared.stderr).toBe(0);
    const { id, release, preparedBy } = JSON.parse(prepared.stdout) as {
      id: string;
      release: { name: string; url: string };
      preparedBy: string;
    };
    expect(release).toMatchObject({ name: 'v2.14.0', url: 'https://example.invalid/pr/812' });
    expect(preparedBy).toContain('release-pipeline');

    const early = await deploy(['wait', id, '--for', 'go', '--timeout', '3s']);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('go not reached within 3s');
    expect(early.stderr).toContain('Go for the migration? NO-GO');
    for (const reason of [
      'Frontend commit documented and tagged: waiting for a lead’s sign-off',
      'Rollback procedures documented: waiting for a lead’s sign-off',
    ])
      expect(early.stderr).toContain(`  - ${reason}`);
    expect(early.stderr).toContain(`Rollback plan: ${app.url}/rollbacks`);

    // The snapshot becomes available as the clock moves; a lead signs off the manual items.
    const waiting = deploy(['wait', id, '--for', 'go', '--timeout', '60s']);
    await app.control('POST', 'clock/advance', { seconds: 61 });
    let last: DeployDetail | null = null;
    await waitFor(
      async () => ((last = await detail(id)).deploy.phase === 'ready' ? true : undefined),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; last: ${JSON.stringify(last && { phase: last.deploy.phase, timeline: last.timeline.map((e) => e.message) })}`,
      );
    });
    for (const item of ['frontend-commit', 'rollback-procedures'])
      expect(
        (await post('lead', `/api/v1/deploys/${id}/items/${item}/sign-off`, { comment: `checked ${item}` }))
          .status,
      ).toBe(200);
    const go = await waiting;
    expect(go.code, go.stderr).toBe(0);
    expect(go.stdout).toMatch(/SIGNED-OFF Frontend commit documented and tagged \(frontend-commit\)/);
    expect(go.stdout).toMatch(/PASS\s+.*\(snapshot\)/);
    expect(go.stdout).toContain('Go for the migration? GO\nReached go.\n');

    // The pipeline runs the migration (here the sandbox's alembic upgrade) and says so.
    expect((await deploy(['migration', id, 'started'])).code).toBe(0);
    await app.control('POST', 'migrations/apply');
    const finished = await deploy(['migration', id, 'finished']);
    expect(finished.code, finished.stderr).toBe(0);
    const status = await deploy(['status', id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Deploy ${id} (production) is verifying; Healthy?`);
    expect(status.stdout).toMatch(/^STATE\s+PHASE\s+ITEM\s+WHY$/m);
    expect(status.stdout).toMatch(/^SIGNED-OFF\s+pre-deploy\s+Frontend commit documented and tagged/m);
    // Verified needs the post-deploy sign-off: not within a short wait, with the rollback plan's link.
    const verifying = await deploy(['wait', id, '--for', 'verifying', '--timeout', '2s']);
    expect(verifying.code).toBe(1);
    expect(verifying.stderr).toContain('verifying not reached within 2s');
    expect(verifying.stderr).toContain(`Rollback plan: ${app.url}/rollbacks`);
    const json = JSON.parse((await deploy(['status', id, '--json'])).stdout) as DeployDetail;
    expect(json.deploy).toMatchObject({ id, phase: 'verifying' });
  }, 120_000);
});
