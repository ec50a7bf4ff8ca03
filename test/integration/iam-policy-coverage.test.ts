// Every AWS call Flightdeck makes in the story falls under the policy `flightdeck iam-policy`
// prints: each call's action and ARN, recorded as the BFF's own SDK clients send them (reads,
// the pre-migration snapshot, the alias rollback, the RDS restore and its follow-up).
import { randomUUID } from 'node:crypto';
import type { AccountCheck, RollbackJob } from '@flightdeck/contracts';
import { deniedRequests, iamPolicy, type AwsCallRecord } from '@flightdeck/core';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import { storyNames } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const storyDeployId = 'story-2026-02-03';

/** The part of an SDK client's middleware stack the recorder needs. */
interface Recordable {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: unknown }) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}
const services: Record<string, AwsCallRecord['service']> = {
  CloudWatchClient: 'CloudWatch',
  CloudWatchLogsClient: 'CloudWatchLogs',
  RDSClient: 'RDS',
  LambdaClient: 'Lambda',
  STSClient: 'STS',
};

describe('the printed IAM policy covers every call of the story', () => {
  let app: TestApp;
  const recorded: AwsCallRecord[] = [];

  beforeAll(async () => {
    app = await buildTestApp({ auth: { mutationsPerMinute: 1_000 }, rollbacks: { pollMs: 100 } });
    const { aws, mutations } = app.app.upstreams;
    for (const client of [
      aws.cloudwatch,
      aws.logs,
      aws.rds,
      aws.lambda,
      aws.sts,
      mutations.lambda,
      mutations.rds,
    ])
      (client as unknown as Recordable).middlewareStack.add(
        (next, context) => async (args) => {
          recorded.push({
            service: services[context.clientName!]!,
            operation: context.commandName!.replace(/Command$/, ''),
            input: args.input as Record<string, unknown>,
          });
          return next(args);
        },
        { step: 'initialize', name: 'recordCallsForPolicyTest' },
      );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('reads, prepare, alias rollback and restore: no call outside the policy', async () => {
    const ops = await app.signIn('ops');
    const post = async <T>(path: string, body: unknown) => {
      const response = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { ...ops, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    };
    // The reads: every panel, a chart window, the account check.
    await waitFor(
      async () =>
        (await app.get<{ sources: { lambda: { data: unknown } } }>('/api/v1/overview')).body.sources.lambda
          .data
          ? true
          : undefined,
      30_000,
    );
    await waitFor(
      async () =>
        (await app.get<{ metrics: { data: unknown } }>('/api/v1/metrics?window=1h')).body.metrics.data
          ? true
          : undefined,
      30_000,
    );
    // The account check runs at start-up and every few minutes: once more, now that calls are recorded.
    await app.app.accountCheck.check();
    const account = (await app.get<AccountCheck>('/api/v1/account')).body;
    // The pre-migration snapshot Flightdeck takes (named as the policy allows), available soon after.
    const prepared = await post<{ id: string }>('/api/v1/deploys', {});
    expect(prepared.status).toBe(201);
    await app.control('POST', 'clock/advance', { seconds: 10 * 60 });
    // The alias rollback of the story's deploy, and the restore of the deploy prepared here (the
    // story's own snapshot was taken by hand under another name: outside a least-privilege policy).
    const backend = app.config.functions[0]!.name;
    const alias = await post<RollbackJob>('/api/v1/rollbacks', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: backend,
      confirmation: backend,
    });
    expect(alias.status).toBe(202);
    const restore = await post<RollbackJob>('/api/v1/rollbacks', {
      deployId: prepared.body.id,
      kind: 'rds',
      target: storyNames.dbInstance,
      confirmation: storyNames.dbInstance,
    });
    expect(restore.status).toBe(202);
    const job = () => app.get<RollbackJob>(`/api/v1/rollbacks/${restore.body.id}`).then((r) => r.body);
    await waitFor(async () => ((await job()).steps[2]!.detail === 'creating' ? true : undefined));
    await app.control('POST', 'clock/advance', { seconds: 16 * 60 });
    await waitFor(async () => ((await job()).state === 'succeeded' ? true : undefined), 30_000);

    const operations = new Set(recorded.map((c) => `${c.service}.${c.operation}`));
    for (const expected of [
      'STS.GetCallerIdentity',
      'CloudWatch.GetMetricData',
      'CloudWatchLogs.FilterLogEvents',
      'RDS.DescribeDBInstances',
      'RDS.DescribeDBSnapshots',
      'RDS.CreateDBSnapshot',
      'RDS.RestoreDBInstanceFromDBSnapshot',
      'Lambda.GetAlias',
      'Lambda.UpdateAlias',
    ])
      expect(operations).toContain(expected);

    const resources = {
      region: app.config.aws.region,
      accountId: account.account!,
      dbInstance: app.config.rds.dbInstanceIdentifier,
      functions: app.config.functions.map(({ name, alias }) => ({ name, alias })),
      sqlFunction: null,
    };
    const policy = iamPolicy(resources);
    const denied = recorded.flatMap((call) =>
      deniedRequests(policy, call, resources).map(
        (d) => `${call.service}.${call.operation} ${d.action} on ${d.resource}`,
      ),
    );
    expect(denied).toEqual([]);
    console.log(
      `${recorded.length} calls (${[...operations].sort().join(', ')}) all allowed by the printed policy`,
    );
  }, 120_000);
});
