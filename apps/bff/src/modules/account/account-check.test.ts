import type { AccountCheck } from '@flightdeck/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';

/** The sandbox answers GetCallerIdentity with its own account. */
const sandboxAccount = '123456789012';

interface CallCounts {
  total: number;
  byOperation: Record<string, number>;
}

describe('the account check (STS GetCallerIdentity)', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const advanceClock = async (test: TestApp, key: string) =>
    fetch(`${test.url}/api/v1/sandbox/clock/advance`, {
      method: 'POST',
      headers: { ...(await test.signIn('ops')), 'content-type': 'application/json', 'idempotency-key': key },
      body: '{"seconds":1}',
    });

  it('shows the account, region and role, and works normally when it is the expected one', async () => {
    app = await buildTestApp({ aws: { expectedAccountId: sandboxAccount } });
    const { status, body } = await app.get<AccountCheck>('/api/v1/account');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      account: sandboxAccount,
      expectedAccount: sandboxAccount,
      region: 'us-east-1',
      role: 'flightdeck-sandbox',
      message: null,
    });
    expect((await advanceClock(app, 'right-account-0001')).status).toBe(200);
  });

  it('on a mismatch says which account was found, stops the collectors and refuses changes', async () => {
    app = await buildTestApp({ aws: { expectedAccountId: '999999999999' } });
    const { body } = await app.get<AccountCheck>('/api/v1/account');
    expect(body).toMatchObject({
      status: 'mismatch',
      account: sandboxAccount,
      expectedAccount: '999999999999',
    });
    expect(body.message).toMatch(/reach AWS account 123456789012.*not 999999999999/);

    const before = await app.control<{ clock: { advancedMs: number } }>('GET', 'state');
    const refused = await advanceClock(app, 'wrong-account-0001');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'WrongAccount',
      message: expect.stringMatching(/123456789012/),
    });
    expect((await app.control<{ clock: { advancedMs: number } }>('GET', 'state')).clock.advancedMs).toBe(
      before.clock.advancedMs,
    );

    // Polls run every 0.5-1 s in tests: three seconds of silence means no collector is polling.
    await app.control('DELETE', 'calls');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const calls = await app.control<CallCounts>('GET', 'calls');
    const reads = Object.keys(calls.byOperation).filter((op) => !op.startsWith('STS.'));
    expect(reads).toEqual([]);
  });
});
