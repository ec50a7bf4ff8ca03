import { invokeFunction } from '../lambda/invoke.js';
import {
  functionArn,
  lambdaTimestamp,
  type AliasRecord,
  type FunctionVersion,
  type LambdaFunction,
} from '../lambda/function-catalog.js';
import type { Scenario } from '../scenario/scenario.js';
import { databaseStory } from '../story.js';
import { logGroupName } from '../traffic/log-events.js';
import { AwsApiError } from './aws-error.js';
import type { AwsCall, HttpReply } from './http-reply.js';
import { decodeToken, encodeToken } from './json-protocol.js';

const apiPrefix = '/2015-03-31/functions/';

interface LambdaRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

type Route = { operation: string; functionName: string; aliasName?: string };

/** restJson1: the operation is in the method and path. */
function route(method: string, path: string): Route | undefined {
  if (!path.startsWith(apiPrefix)) return undefined;
  const parts = path.slice(apiPrefix.length).split('/').map(decodeURIComponent);
  const [functionName, resource, aliasName] = parts;
  if (!functionName) return undefined;
  const key = `${method} ${resource ?? ''}${aliasName === undefined ? '' : '/*'}`;
  const operation = {
    'GET aliases/*': 'GetAlias',
    'PUT aliases/*': 'UpdateAlias',
    'GET aliases': 'ListAliases',
    'GET versions': 'ListVersionsByFunction',
    'POST versions': 'PublishVersion',
    'GET configuration': 'GetFunctionConfiguration',
    'POST invocations': 'Invoke',
  }[key];
  if (operation === undefined || parts.length > 3) return undefined;
  return aliasName === undefined ? { operation, functionName } : { operation, functionName, aliasName };
}

export function isLambdaPath(path: string): boolean {
  return path.startsWith('/2015-03-31/');
}

export function lambdaCall(scenario: Scenario, request: LambdaRequest, requestId: string): AwsCall {
  const found = route(request.method, request.url.pathname);
  const json = (status: number, body: unknown, extra: Record<string, string> = {}): HttpReply => ({
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...extra },
    body: JSON.stringify(body),
  });
  return {
    service: 'Lambda',
    operation: found?.operation ?? 'Unknown',
    renderError: (error) =>
      json(
        error.status,
        {
          Type: error.fault === 'Sender' ? 'User' : 'Service',
          ...error.members,
          Message: error.message,
          message: error.message,
        },
        {
          'x-amzn-errortype': error.code,
          ...error.headers,
        },
      ),
    async run() {
      if (!found)
        throw new AwsApiError(
          'UnknownOperationException',
          404,
          `The sandbox does not implement ${request.method} ${request.url.pathname}`,
          { Type: 'User' },
        );
      const { fn, qualifier } = scenario.lambda.resolve(found.functionName);
      const body = () => parseJsonBody(request.body);
      switch (found.operation) {
        case 'GetAlias':
          return json(200, aliasJson(fn, scenario.lambda.alias(fn, found.aliasName!)));
        case 'UpdateAlias': {
          const input = body() as {
            FunctionVersion?: string;
            Description?: string;
            RevisionId?: string;
            RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
          };
          // An endpoint that ignores the precondition updates an alias changed since it was read.
          const ignoreRevisionId =
            input.RevisionId !== undefined &&
            input.RevisionId !== scenario.lambda.alias(fn, found.aliasName!).revisionId &&
            scenario.takeBehaviourFault('ignore-revision-id') !== undefined;
          const { alias } = scenario.lambda.updateAlias(fn, found.aliasName!, {
            ...(input.FunctionVersion === undefined ? {} : { functionVersion: input.FunctionVersion }),
            ...(input.Description === undefined ? {} : { description: input.Description }),
            ...(input.RevisionId === undefined || ignoreRevisionId ? {} : { revisionId: input.RevisionId }),
            ...(input.RoutingConfig === undefined
              ? {}
              : { additionalVersionWeights: input.RoutingConfig.AdditionalVersionWeights ?? {} }),
          });
          return json(200, aliasJson(fn, alias));
        }
        case 'ListAliases': {
          const filter = request.url.searchParams.get('FunctionVersion');
          const aliases = [...fn.aliases.values()].filter(
            (a) => filter === null || a.functionVersion === filter,
          );
          const { page, next } = pageOf(request.url, aliases);
          return json(200, {
            Aliases: page.map((a) => aliasJson(fn, a)),
            ...(next ? { NextMarker: next } : {}),
          });
        }
        case 'ListVersionsByFunction': {
          const { page, next } = pageOf(request.url, [fn.latest, ...fn.versions]);
          return json(200, {
            Versions: page.map((v) => configurationJson(fn, v, v.version)),
            ...(next ? { NextMarker: next } : {}),
          });
        }
        case 'PublishVersion': {
          const input = body() as { CodeSha256?: string; Description?: string; RevisionId?: string };
          const { version } = scenario.lambda.publishVersion(fn, {
            ...(input.CodeSha256 === undefined ? {} : { codeSha256: input.CodeSha256 }),
            ...(input.Description === undefined ? {} : { description: input.Description }),
            ...(input.RevisionId === undefined ? {} : { revisionId: input.RevisionId }),
          });
          return json(201, configurationJson(fn, version, version.version));
        }
        case 'GetFunctionConfiguration': {
          const requested = request.url.searchParams.get('Qualifier') ?? undefined;
          const q = mergeQualifier(qualifier, requested);
          const { version } = scenario.lambda.configurationOf(fn, q);
          return json(200, configurationJson(fn, version, q));
        }
        default:
          return invoke(
            scenario,
            fn,
            mergeQualifier(qualifier, request.url.searchParams.get('Qualifier') ?? undefined),
            request,
            requestId,
          );
      }
    },
  };
}

async function invoke(
  scenario: Scenario,
  fn: LambdaFunction,
  qualifier: string | undefined,
  request: LambdaRequest,
  requestId: string,
): Promise<HttpReply> {
  const invocationType = headerOf(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType))
    throw new AwsApiError(
      'InvalidParameterValueException',
      400,
      `Unsupported invocation type ${invocationType}`,
      { Type: 'User' },
    );
  const payload = parseJsonBody(
    request.body,
    () =>
      new AwsApiError(
        'InvalidRequestContentException',
        400,
        'Could not parse request body into json: payload is not valid JSON',
        { Type: 'User' },
      ),
  );
  const { version } = scenario.lambda.configurationOf(fn, qualifier);
  const base = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': version.version };
  if (invocationType === 'DryRun') return { status: 204, headers: base, body: '' };
  const outcome = await invokeFunction(scenario, fn, qualifier, payload, { record: true });
  if (invocationType === 'Event') return { status: 202, headers: base, body: '' };
  const headers: Record<string, string> = {
    ...base,
    'content-type': 'application/json',
    'x-amz-executed-version': outcome.executedVersion,
  };
  if (outcome.functionError) headers['x-amz-function-error'] = outcome.functionError;
  // Lambda returns the last 4 KB of the log, base64-encoded.
  if (headerOf(request, 'x-amz-log-type') === 'Tail')
    headers['x-amz-log-result'] = Buffer.from(outcome.log.slice(-4096)).toString('base64');
  return { status: 200, headers, body: JSON.stringify(outcome.payload) };
}

function headerOf(request: LambdaRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonBody(body: Uint8Array, invalid?: () => AwsApiError): unknown {
  const text = Buffer.from(body).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw (
      invalid?.() ??
      new AwsApiError('InvalidRequestContentException', 400, 'Could not parse request body into json', {
        Type: 'User',
      })
    );
  }
}

/** A qualifier may come in the name (fn:prod) or as ?Qualifier=; both must agree. */
function mergeQualifier(fromName: string | undefined, fromQuery: string | undefined): string | undefined {
  if (fromName !== undefined && fromQuery !== undefined && fromName !== fromQuery)
    throw new AwsApiError(
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
      { Type: 'User' },
    );
  return fromName ?? fromQuery;
}

function pageOf<T>(url: URL, items: T[]): { page: T[]; next?: string } {
  const maxItems = Number(url.searchParams.get('MaxItems') ?? 50);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)
    throw new AwsApiError('InvalidParameterValueException', 400, 'MaxItems must be between 1 and 10000', {
      Type: 'User',
    });
  const marker = url.searchParams.get('Marker');
  const offset = marker === null ? 0 : decodeToken<{ offset: number }>(marker)?.offset;
  if (offset === undefined || !Number.isInteger(offset))
    throw new AwsApiError('InvalidParameterValueException', 400, 'Invalid Marker', { Type: 'User' });
  const page = items.slice(offset, offset + maxItems);
  return offset + maxItems < items.length
    ? { page, next: encodeToken({ offset: offset + maxItems }) }
    : { page };
}

function aliasJson(fn: LambdaFunction, alias: AliasRecord) {
  return {
    AliasArn: functionArn(fn.story.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
    ...(alias.additionalVersionWeights
      ? { RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights } }
      : {}),
  };
}

function configurationJson(fn: LambdaFunction, version: FunctionVersion, qualifier: string | undefined) {
  const story = fn.story;
  const inVpc = story.traffic !== 'worker';
  return {
    FunctionName: story.name,
    FunctionArn: functionArn(story.name, qualifier),
    Runtime: story.runtime,
    Role: story.role,
    Handler: story.handler,
    CodeSize: story.codeSizeBytes,
    Description: version.description,
    Timeout: story.timeoutSeconds,
    MemorySize: story.memoryMb,
    LastModified: lambdaTimestamp(version.lastModifiedMs),
    CodeSha256: version.codeSha256,
    Version: version.version,
    ...(inVpc
      ? {
          VpcConfig: {
            SubnetIds: ['subnet-0d4e6f8a1b3c5d7e9', 'subnet-0f1e2d3c4b5a69788'],
            SecurityGroupIds: ['sg-0e7d6c5b4a3928170'],
            VpcId: databaseStory.vpcId,
            Ipv6AllowedForDualStack: false,
          },
        }
      : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: version.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: {
      RuntimeVersionArn:
        'arn:aws:lambda:us-east-1::runtime:3f1e8b6d2c4a9e7f0b5d3c1a8e6f4b2d9c7a5e3f1b8d6c4a2e0f9b7d5c3a1e8f',
    },
    LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupName(story.name) },
  };
}
