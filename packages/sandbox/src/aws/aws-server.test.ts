import { GetMetricDataCommand, InternalServiceFault } from '@aws-sdk/client-cloudwatch';
import { DescribeLogStreamsCommand, ServiceUnavailableException } from '@aws-sdk/client-cloudwatch-logs';
import { GetAliasCommand, ServiceException } from '@aws-sdk/client-lambda';
import { DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../start-sandbox.js';
import { storyNames } from '../story.js';
import { clientsFor, startStorySandbox, type SandboxClients } from '../testing/sandbox-clients.js';

describe('the AWS endpoint', () => {
  let sandbox: Sandbox;
  let aws: SandboxClients;
  const metrics = (client = aws) =>
    client.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(sandbox.scenario.now() - 600_000),
        EndTime: new Date(sandbox.scenario.now()),
        MetricDataQueries: [
          {
            Id: 'errors',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Lambda',
                MetricName: 'Errors',
                Dimensions: [{ Name: 'FunctionName', Value: storyNames.backendFunction }],
              },
              Period: 300,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    aws = clientsFor(sandbox);
  });
  afterEach(async () => {
    await sandbox.scenario.clearFaults();
  });
  afterAll(async () => {
    aws?.destroy();
    await sandbox?.close();
  });

  it('answers STS GetCallerIdentity with the sandbox account', async () => {
    const identity = await aws.sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:user/flightdeck-sandbox',
    });
  });

  it('counts every call per operation, faulted ones too', async () => {
    sandbox.scenario.resetCalls();
    await aws.sts.send(new GetCallerIdentityCommand({}));
    await metrics();
    await sandbox.scenario.injectFault({
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'error5xx',
      remaining: 1,
    });
    await metrics().catch(() => undefined);
    await aws.rds.send(new DescribeDBSnapshotsCommand({}));
    expect(sandbox.scenario.calls()).toEqual({
      total: 4,
      byOperation: {
        'CloudWatch.GetMetricData': 2,
        'RDS.DescribeDBSnapshots': 1,
        'STS.GetCallerIdentity': 1,
      },
    });
  });

  it('surfaces 5xx faults as each service’s own exception', async () => {
    await sandbox.scenario.injectFault({
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'error5xx',
    });
    const cloudWatch = await metrics().catch((e: unknown) => e);
    expect(cloudWatch).toBeInstanceOf(InternalServiceFault);
    expect(cloudWatch).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });

    await sandbox.scenario.injectFault({
      service: 'CloudWatchLogs',
      operation: 'DescribeLogStreams',
      kind: 'error5xx',
    });
    await expect(
      aws.logs.send(
        new DescribeLogStreamsCommand({ logGroupName: `/aws/lambda/${storyNames.backendFunction}` }),
      ),
    ).rejects.toBeInstanceOf(ServiceUnavailableException);

    await sandbox.scenario.injectFault({ service: 'Lambda', operation: 'GetAlias', kind: 'error5xx' });
    const lambda = await aws.lambda
      .send(new GetAliasCommand({ FunctionName: storyNames.backendFunction, Name: 'prod' }))
      .catch((e: unknown) => e);
    expect(lambda).toBeInstanceOf(ServiceException);
    expect(lambda).toMatchObject({ $metadata: { httpStatusCode: 500 } });
  });

  it('throttles CloudWatch with its query-compatible "Throttling" code, which the SDK retries', async () => {
    await sandbox.scenario.injectFault({
      service: 'CloudWatch',
      operation: 'GetMetricData',
      kind: 'throttle',
      remaining: 2,
    });
    const once = await metrics().catch((e: unknown) => e);
    expect(once).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });

    sandbox.scenario.resetCalls();
    const retrying = clientsFor(sandbox, { maxAttempts: 3 });
    try {
      const result = await metrics(retrying);
      expect(result.$metadata.attempts).toBe(2);
      expect(sandbox.scenario.calls().byOperation['CloudWatch.GetMetricData']).toBe(2);
    } finally {
      retrying.destroy();
    }
  });

  it('delays with latency and never answers with hang, so client timeouts are what fail', async () => {
    const impatient = clientsFor(sandbox, { requestTimeoutMs: 1_000 });
    try {
      await sandbox.scenario.injectFault({
        service: 'STS',
        operation: 'GetCallerIdentity',
        kind: 'latency',
        latencyMs: 50,
      });
      expect((await impatient.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
      await sandbox.scenario.injectFault({
        service: 'STS',
        operation: 'GetCallerIdentity',
        kind: 'latency',
        latencyMs: 2_000,
      });
      await expect(impatient.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      await sandbox.scenario.injectFault({
        service: 'RDS',
        operation: 'DescribeDBSnapshots',
        kind: 'hang',
        remaining: 1,
      });
      await expect(impatient.rds.send(new DescribeDBSnapshotsCommand({}))).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      expect(sandbox.scenario.faults().find((f) => f.service === 'RDS')).toBeUndefined(); // used up
      expect((await impatient.rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots!.length).toBe(3);
    } finally {
      impatient.destroy();
    }
  });

  it('says so for what it does not implement', async () => {
    const unknownPath = await fetch(`${sandbox.awsEndpoint}/2015-03-31/functions/x/policy`);
    expect(unknownPath.status).toBe(404);
    const unknownJson = await fetch(sandbox.awsEndpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'Logs_20140328.PutLogEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(unknownJson.status).toBe(400);
    expect(await unknownJson.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const unknownAction = await fetch(sandbox.awsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DeleteDBInstance&Version=2014-10-31',
    });
    expect(unknownAction.status).toBe(400);
    expect(await unknownAction.text()).toContain('<Code>InvalidAction</Code>');
  });
});
