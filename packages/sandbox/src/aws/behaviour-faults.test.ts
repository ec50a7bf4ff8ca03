// Behaviour faults: the sandbox answering like an AWS-compatible emulator instead of AWS, set
// through the control API and met by the real SDK clients, the way Flightdeck meets them.
import { GetMetricDataCommand, InternalServiceFault, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, PreconditionFailedException, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../start-sandbox.js';
import { storyNames } from '../story.js';
import { clientsFor, startStorySandbox, type SandboxClients } from '../testing/sandbox-clients.js';

const backend = storyNames.backendFunction;

describe('behaviour faults', () => {
  let sandbox: Sandbox;
  let aws: SandboxClients;
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.awsEndpoint}/_sandbox/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const query = (id: string, stat: string): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: [{ Name: 'FunctionName', Value: backend }],
      },
      Period: 60,
      Stat: stat,
    },
  });
  const metrics = (queries: MetricDataQuery[]) =>
    aws.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(sandbox.scenario.now() - 15 * 60_000),
        EndTime: new Date(sandbox.scenario.now()),
        MetricDataQueries: queries,
      }),
    );

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    aws = clientsFor(sandbox);
  });
  afterEach(async () => {
    await control('DELETE', 'faults');
  });
  afterAll(async () => {
    aws?.destroy();
    await sandbox?.close();
  });

  describe('percentiles-unsupported', () => {
    it('fails GetMetricData with HTTP 500 when any query asks for a percentile, and only then', async () => {
      const set = await control('POST', 'faults', {
        service: 'CloudWatch',
        operation: 'GetMetricData',
        kind: 'percentiles-unsupported',
      });
      expect(set.status).toBe(200);
      expect(set.body.faults).toEqual([
        { service: 'CloudWatch', operation: 'GetMetricData', kind: 'percentiles-unsupported' },
      ]);

      const mixed = await metrics([query('avg', 'Average'), query('p99', 'p99')]).catch((e: unknown) => e);
      expect(mixed).toBeInstanceOf(InternalServiceFault);
      expect(mixed).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
      expect((mixed as Error).message).toContain('p99');
      await expect(metrics([query('p50', 'p50.5')])).rejects.toBeInstanceOf(InternalServiceFault);

      // the same metrics without a percentile answer as before
      const plain = await metrics([
        query('avg', 'Average'),
        query('max', 'Maximum'),
        query('n', 'SampleCount'),
      ]);
      expect(plain.MetricDataResults?.map((r) => r.Id)).toEqual(['avg', 'max', 'n']);
      expect(plain.MetricDataResults?.[0]?.Values?.length).toBeGreaterThan(0);
    });

    it('counts remaining only against the requests it fails, then answers percentiles again', async () => {
      await control('POST', 'faults', {
        service: 'CloudWatch',
        operation: 'GetMetricData',
        kind: 'percentiles-unsupported',
        remaining: 1,
      });
      await metrics([query('avg', 'Average')]);
      await expect(metrics([query('p99', 'p99')])).rejects.toBeInstanceOf(InternalServiceFault);
      const after = await metrics([query('p99', 'p99')]);
      expect(after.MetricDataResults?.[0]?.Values?.length).toBeGreaterThan(0);
      expect((await control('GET', 'faults')).body.faults).toEqual([]);
    });

    it('lives beside a transport fault of the same operation', async () => {
      await control('POST', 'faults', {
        service: 'CloudWatch',
        operation: 'GetMetricData',
        kind: 'percentiles-unsupported',
      });
      await control('POST', 'faults', {
        service: 'CloudWatch',
        operation: 'GetMetricData',
        kind: 'latency',
        latencyMs: 1,
      });
      expect((await control('GET', 'faults')).body.faults.map((f: { kind: string }) => f.kind)).toEqual([
        'percentiles-unsupported',
        'latency',
      ]);
      await expect(metrics([query('p99', 'p99')])).rejects.toBeInstanceOf(InternalServiceFault);
    });
  });

  describe('ignore-revision-id', () => {
    const aliasNow = () => aws.lambda.send(new GetAliasCommand({ FunctionName: backend, Name: 'prod' }));

    it('updates the alias although the RevisionId no longer matches', async () => {
      const before = await aliasNow();
      // Without the fault the stale precondition is refused, as Lambda does.
      await expect(
        aws.lambda.send(
          new UpdateAliasCommand({
            FunctionName: backend,
            Name: 'prod',
            FunctionVersion: '13',
            RevisionId: 'stale-revision',
          }),
        ),
      ).rejects.toBeInstanceOf(PreconditionFailedException);
      expect((await aliasNow()).FunctionVersion).toBe(before.FunctionVersion);

      const set = await control('POST', 'faults', {
        service: 'Lambda',
        operation: 'UpdateAlias',
        kind: 'ignore-revision-id',
      });
      expect(set.status).toBe(200);
      const moved = await aws.lambda.send(
        new UpdateAliasCommand({
          FunctionName: backend,
          Name: 'prod',
          FunctionVersion: '13',
          RevisionId: 'stale-revision',
        }),
      );
      expect(moved.FunctionVersion).toBe('13');
      expect(moved.RevisionId).not.toBe(before.RevisionId);
      expect((await aliasNow()).FunctionVersion).toBe('13');

      // put the story back
      await aws.lambda.send(
        new UpdateAliasCommand({
          FunctionName: backend,
          Name: 'prod',
          FunctionVersion: before.FunctionVersion,
        }),
      );
    });

    it('counts remaining only against updates whose RevisionId it ignored', async () => {
      const before = await aliasNow();
      await control('POST', 'faults', {
        service: 'Lambda',
        operation: 'UpdateAlias',
        kind: 'ignore-revision-id',
        remaining: 1,
      });
      // a matching RevisionId is honoured as usual and does not use the fault up
      const honoured = await aws.lambda.send(
        new UpdateAliasCommand({
          FunctionName: backend,
          Name: 'prod',
          FunctionVersion: before.FunctionVersion,
          RevisionId: before.RevisionId,
        }),
      );
      await aws.lambda.send(
        new UpdateAliasCommand({
          FunctionName: backend,
          Name: 'prod',
          RevisionId: 'stale',
          Description: 'x',
        }),
      );
      await expect(
        aws.lambda.send(
          new UpdateAliasCommand({ FunctionName: backend, Name: 'prod', RevisionId: honoured.RevisionId }),
        ),
      ).rejects.toBeInstanceOf(PreconditionFailedException);
    });
  });

  it('refuses a behaviour fault on an operation it does not concern, naming the one it does', async () => {
    const wrong = await control('POST', 'faults', {
      service: 'Lambda',
      operation: 'GetAlias',
      kind: 'ignore-revision-id',
    });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('Lambda UpdateAlias only');
    const latency = await control('POST', 'faults', {
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'percentiles-unsupported',
      latencyMs: 5,
    });
    expect(latency.status).toBe(400);
    expect((await control('GET', 'faults')).body.faults).toEqual([]);
  });
});
