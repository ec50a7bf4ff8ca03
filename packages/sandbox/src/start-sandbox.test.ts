import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, storyNames, type Sandbox } from './index.js';

describe('startSandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('hands out the endpoints, the Alembic folder and the story names', () => {
    expect(sandbox.awsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.databaseUrl).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(sandbox.region).toBe('us-east-1');
    expect(isAbsolute(sandbox.versionsDir)).toBe(true);
    expect(readdirSync(sandbox.versionsDir).filter((f) => f.endsWith('.py'))).toHaveLength(9);
    expect(storyNames).toMatchObject({
      sqlFunction: 'credmate-rds-query',
      alias: 'prod',
      headRevision: '20260131_0000',
    });
  });

  it('runs on the real clock by default', async () => {
    const state = await sandbox.scenario.state();
    expect(Math.abs(state.clock.scenarioMs - Date.now())).toBeLessThan(5_000);
  });

  it('fails cleanly when a port is taken, leaving nothing running', async () => {
    const port = Number(new URL(sandbox.awsEndpoint).port);
    await expect(startSandbox({ awsPort: port, dbPort: 0, quiet: true })).rejects.toThrow(/EADDRINUSE/);
    const dbPort = Number(new URL(sandbox.databaseUrl).port);
    await expect(startSandbox({ awsPort: 0, dbPort, quiet: true })).rejects.toThrow(/EADDRINUSE/);
  });

  it('closes once, however often it is asked', async () => {
    const other = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
    await Promise.all([other.close(), other.close()]);
    await expect(fetch(`${other.awsEndpoint}/_sandbox/state`)).rejects.toThrow();
    expect(existsSync(other.versionsDir)).toBe(true);
  });
});
