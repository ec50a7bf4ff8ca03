import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvalidRequestContentException,
  InvokeCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../start-sandbox.js';
import { storyNames } from '../story.js';
import { clientsFor, startStorySandbox, type SandboxClients } from '../testing/sandbox-clients.js';

const backend = storyNames.backendFunction;

describe('Lambda', () => {
  let sandbox: Sandbox;
  let aws: SandboxClients;
  const sql = async (body: unknown) => {
    const out = await aws.lambda.send(
      new InvokeCommand({
        FunctionName: storyNames.sqlFunction,
        Payload: new TextEncoder().encode(JSON.stringify(body)),
      }),
    );
    return { ...out, body: JSON.parse(new TextDecoder().decode(out.Payload)) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    aws = clientsFor(sandbox);
  });
  afterAll(async () => {
    aws?.destroy();
    await sandbox?.close();
  });

  it('has the two functions on alias prod at their newest published version', async () => {
    const alias = await aws.lambda.send(new GetAliasCommand({ FunctionName: backend, Name: 'prod' }));
    expect(alias).toMatchObject({
      Name: 'prod',
      FunctionVersion: '14',
      AliasArn: `arn:aws:lambda:us-east-1:123456789012:function:${backend}:prod`,
    });
    const worker = await aws.lambda.send(new ListAliasesCommand({ FunctionName: storyNames.workerFunction }));
    expect(worker.Aliases!.map((a) => [a.Name, a.FunctionVersion])).toEqual([['prod', '9']]);

    const first = await aws.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: backend, MaxItems: 10 }),
    );
    expect(first.Versions!.map((v) => v.Version)).toEqual([
      '$LATEST',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    const rest = await aws.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: backend, Marker: first.NextMarker! }),
    );
    expect(rest.Versions!.map((v) => v.Version)).toEqual(['10', '11', '12', '13', '14']);
    expect(rest.NextMarker).toBeUndefined();
    const v14 = rest.Versions![4]!;
    expect(v14.CodeSha256).toBe(first.Versions![0]!.CodeSha256); // $LATEST holds the code of 14
    expect(v14.Description).toMatch(/notification preferences/);
    expect(v14.FunctionArn).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${backend}:14`);

    const viaAlias = await aws.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: backend, Qualifier: 'prod' }),
    );
    expect(viaAlias).toMatchObject({
      Version: '14',
      Runtime: 'python3.12',
      MemorySize: 512,
      State: 'Active',
    });
    expect(viaAlias.LoggingConfig!.LogGroup).toBe(`/aws/lambda/${backend}`);
    const byArn = await aws.lambda.send(
      new GetFunctionConfigurationCommand({
        FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:${backend}:13`,
      }),
    );
    expect(byArn.Version).toBe('13');
    await expect(
      aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('moves the alias only to a version that exists, and records $LATEST for what it is', async () => {
    const moved = await aws.lambda.send(
      new UpdateAliasCommand({ FunctionName: backend, Name: 'prod', FunctionVersion: '13' }),
    );
    expect(moved.FunctionVersion).toBe('13');
    const missing = await aws.lambda
      .send(new UpdateAliasCommand({ FunctionName: backend, Name: 'prod', FunctionVersion: '99' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    await expect(
      aws.lambda.send(
        new UpdateAliasCommand({
          FunctionName: backend,
          Name: 'prod',
          FunctionVersion: '14',
          RevisionId: 'stale',
        }),
      ),
    ).rejects.toBeInstanceOf(PreconditionFailedException);
    const latest = await aws.lambda.send(
      new UpdateAliasCommand({ FunctionName: backend, Name: 'prod', FunctionVersion: '$LATEST' }),
    );
    expect(latest.FunctionVersion).toBe('$LATEST');
    const changes = sandbox.scenario
      .timeline()
      .filter((e) => e.kind === 'alias-changed' && e.subject === `${backend}:prod`);
    expect(changes.slice(-2).map((e) => e.value)).toEqual(['13', '$LATEST']);
    expect(changes.at(-1)!.detail).toMatch(/not a published version/);
    await aws.lambda.send(
      new UpdateAliasCommand({ FunctionName: backend, Name: 'prod', FunctionVersion: '14' }),
    );
    expect((await sandbox.scenario.state()).aliases).toContainEqual({
      functionName: backend,
      alias: 'prod',
      functionVersion: '14',
    });
  });

  it('publishes a version only when $LATEST has new code', async () => {
    const same = await aws.lambda.send(new PublishVersionCommand({ FunctionName: backend }));
    expect(same.Version).toBe('14');
    await sandbox.scenario.deployFunctionCode(backend);
    const published = await aws.lambda.send(
      new PublishVersionCommand({ FunctionName: backend, Description: 'hotfix' }),
    );
    expect(published).toMatchObject({ Version: '15', Description: 'hotfix' });
    expect(published.$metadata.httpStatusCode).toBe(201);
    expect(sandbox.scenario.timeline().at(-1)).toMatchObject({ kind: 'version-published', value: '15' });
  });

  it('runs read-only SQL through the SQL function, and refuses writes as a function error', async () => {
    const read = await sql({ sql: 'SELECT email, role FROM users WHERE id = $1', params: [5] });
    expect(read.StatusCode).toBe(200);
    expect(read.FunctionError).toBeUndefined();
    expect(read.body).toEqual({
      columns: ['email', 'role'],
      rows: [['c1@test.com', 'credentialing_coordinator']],
      rowCount: 1,
    });
    const revision = await sql({ sql: 'SELECT version_num FROM alembic_version' });
    expect(revision.body.rows).toEqual([[storyNames.currentRevision]]);

    const write = await sql({ sql: "UPDATE users SET full_name = 'x' WHERE id = 5" });
    expect(write.StatusCode).toBe(200);
    expect(write.FunctionError).toBe('Unhandled');
    expect(write.body).toMatchObject({
      errorType: 'ReadOnlySqlTransaction',
      errorMessage: expect.stringMatching(/read-only transaction/),
    });
    expect((await sql({ sql: 'SELECT full_name FROM users WHERE id = 5' })).body.rows).toEqual([
      ['Coordinator One'],
    ]);
    expect((await sql({ sql: 'SELEC 1' })).body).toMatchObject({ errorType: 'SyntaxError' });
    expect((await sql({ query: 'SELECT 1' })).body).toMatchObject({ errorType: 'ValueError' });
    await expect(
      aws.lambda.send(
        new InvokeCommand({
          FunctionName: storyNames.sqlFunction,
          Payload: new TextEncoder().encode('{not json'),
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestContentException);
  });

  it('counts real invocations in the metrics and returns the log tail', async () => {
    const tail = await aws.lambda.send(
      new InvokeCommand({
        FunctionName: storyNames.sqlFunction,
        Payload: new TextEncoder().encode('{"sql":"SELECT 1"}'),
        LogType: 'Tail',
      }),
    );
    expect(tail.ExecutedVersion).toBe('$LATEST');
    expect(Buffer.from(tail.LogResult!, 'base64').toString()).toMatch(
      /^START RequestId: .*\nREPORT RequestId: .*Duration: /s,
    );
    const now = sandbox.scenario.now();
    const metrics = await aws.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 1),
        MetricDataQueries: ['Invocations', 'Errors'].map((name) => ({
          Id: name.toLowerCase(),
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: name,
              Dimensions: [{ Name: 'FunctionName', Value: storyNames.sqlFunction }],
            },
            Period: 3600,
            Stat: 'Sum',
          },
        })),
      }),
    );
    const [invocations, errors] = metrics.MetricDataResults!;
    expect(invocations!.Values).toEqual([7]); // the six that ran in the previous test (bad JSON never runs), and this one
    expect(errors!.Values).toEqual([3]); // the write, the syntax error and the bad payload
  });

  it('throttles with TooManyRequestsException (429)', async () => {
    await sandbox.scenario.injectFault({
      service: 'Lambda',
      operation: 'GetAlias',
      kind: 'throttle',
      remaining: 1,
    });
    const error = await aws.lambda
      .send(new GetAliasCommand({ FunctionName: backend, Name: 'prod' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ Reason: 'CallerRateLimitExceeded', $metadata: { httpStatusCode: 429 } });
  });
});
