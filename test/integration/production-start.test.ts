import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import { awsModeConfig } from '../support/aws-mode-config.js';
import type { Overview } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const compiledMain = fileURLToPath(new URL('../../apps/bff/dist/main.js', import.meta.url));
const recordModules = fileURLToPath(new URL('../support/record-modules.mjs', import.meta.url));
const viewer = { 'x-forwarded-user': 'oncall', 'x-forwarded-email': 'oncall@example.com' };

/**
 * The documented production start — `node apps/bff/dist/main.js`, compiled by `pnpm build` — in
 * aws mode against a standalone sandbox's endpoint, as it would run against AWS: no tsx, and
 * nothing of the sandbox (its local AWS, its PGlite demo database) loaded in its process.
 */
describe('production start (compiled JavaScript, plain node, aws mode)', () => {
  let sandbox: Sandbox;
  let child: ChildProcess;
  let url: string;
  let workDir: string;
  let moduleLog: string;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(compiledMain)) throw new Error(`${compiledMain} is missing: run \`pnpm build\` first`);
    sandbox = await startSandbox({ host: '127.0.0.1', awsPort: 0, dbPort: 0, quiet: true });
    workDir = mkdtempSync(join(tmpdir(), 'flightdeck-prod-'));
    moduleLog = join(workDir, 'modules.txt');
    const configPath = join(workDir, 'flightdeck.json');
    writeFileSync(
      configPath,
      JSON.stringify(
        awsModeConfig(sandbox, {
          environment: 'production',
          auth: { mode: 'proxy', proxy: { trustedAddresses: ['127.0.0.1'] } },
        }),
      ),
    );
    child = spawn(process.execPath, ['--import', recordModules, compiledMain], {
      env: {
        PATH: process.env.PATH ?? '',
        FLIGHTDECK_CONFIG: configPath,
        FLIGHTDECK_MODULE_LOG: moduleLog,
        AWS_ACCESS_KEY_ID: 'sandbox',
        AWS_SECRET_ACCESS_KEY: 'sandbox',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Flightdeck is running: (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await sandbox?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it.each(['/', '/metrics', '/logs', '/migrations'])('serves the page %s', async (path) => {
    const response = await fetch(`${url}${path}`, { headers: viewer });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it('answers the overview from the sandbox’s endpoint as it would from AWS', async () => {
    await expect
      .poll(
        async () => {
          const response = await fetch(`${url}/api/v1/overview`, { headers: viewer });
          const overview = (await response.json()) as Overview;
          return overview.sources.alembic.data?.pending.length ?? null;
        },
        { timeout: 20_000 },
      )
      .toBe(4);
    const signedOut = await fetch(`${url}/api/v1/overview`);
    expect(signedOut.status).toBe(401);
  });

  // PGlite itself is a production dependency (the embedded store); its socket server is the sandbox's.
  it('loads no sandbox module, no tsx and no other dev dependency', () => {
    const loaded = readFileSync(moduleLog, 'utf8').split('\n').filter(Boolean);
    expect(loaded).toContain(`file://${compiledMain}`);
    expect(loaded.some((u) => u.includes('/fastify/'))).toBe(true);
    const devOnly = loaded.filter((u) =>
      /packages\/sandbox\/|@flightdeck\+sandbox|pglite-socket|\/tsx\/|\/typescript\/|\/vitest\/|\/esbuild\/|\.ts$/.test(
        u,
      ),
    );
    expect(devOnly).toEqual([]);
  });
});
