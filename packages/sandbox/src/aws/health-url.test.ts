import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../start-sandbox.js';

describe('the application health URL the sandbox serves', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true });
  }, 60_000);
  afterAll(async () => sandbox?.close());

  it('fails while the story’s tables are missing and answers 200 once the migrations are applied', async () => {
    const before = await fetch(`${sandbox.awsEndpoint}/_sandbox/health`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({
      status: 'failing',
      detail: expect.stringContaining('does not exist'),
    });
    await fetch(`${sandbox.awsEndpoint}/_sandbox/migrations/apply`, { method: 'POST' });
    const after = await fetch(`${sandbox.awsEndpoint}/_sandbox/health`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ok' });
  });
});
