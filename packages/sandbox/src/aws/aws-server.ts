import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scenario } from '../scenario/scenario.js';
import { AwsApiError } from './aws-error.js';
import { cloudWatchService } from './cloudwatch-api.js';
import { controlPrefix, handleControl } from './control-api.js';
import { serverError, throttlingError } from './fault-errors.js';
import type { AwsCall, HttpReply } from './http-reply.js';
import { jsonRpcCall, type JsonRpcService } from './json-protocol.js';
import { isLambdaPath, lambdaCall } from './lambda-api.js';
import { cloudWatchLogsService } from './logs-api.js';
import { QueryParams } from './query-protocol.js';
import { queryCall, type QueryService } from './query-service.js';
import { rdsService } from './rds-api.js';
import { stsService } from './sts-api.js';

export interface AwsServer {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * One loopback HTTP server that answers the official AWS SDK v3 clients, telling the
 * services apart by protocol: X-Amz-Target (awsJson), the /2015-03-31/ paths (Lambda's
 * restJson1), or the SigV4 scope of a form POST (awsQuery: rds or sts). /_sandbox/ is the
 * scenario's control API.
 */
export async function startAwsServer(options: {
  host: string;
  port: number;
  scenario: Scenario;
  quiet: boolean;
}): Promise<AwsServer> {
  const { scenario } = options;
  const jsonServices: JsonRpcService[] = [cloudWatchService(scenario), cloudWatchLogsService(scenario)];
  const queryServices: Record<string, QueryService> = { rds: rdsService(scenario), sts: stsService() };
  const hanging = new Set<ServerResponse>();

  const identify = (
    request: IncomingMessage,
    url: URL,
    body: Buffer,
    requestId: string,
  ): AwsCall | undefined => {
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const dot = target.lastIndexOf('.');
      const service = jsonServices.find((s) => s.targetPrefix === target.slice(0, dot));
      return service
        ? jsonRpcCall(service, target.slice(dot + 1), body.toString('utf8'), requestId)
        : undefined;
    }
    if (isLambdaPath(url.pathname))
      return lambdaCall(
        scenario,
        { method: request.method ?? 'GET', url, headers: request.headers, body },
        requestId,
      );
    if (request.method === 'POST') {
      const params = new QueryParams(body.toString('utf8'));
      if (params.action === undefined) return undefined;
      const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(
        request.headers.authorization ?? '',
      )?.[1];
      const service =
        (scope ? queryServices[scope] : undefined) ??
        Object.values(queryServices).find((s) => s.version === params.version);
      return service ? queryCall(service, params, requestId) : undefined;
    }
    return undefined;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://sandbox');
    if (url.pathname === controlPrefix || url.pathname.startsWith(`${controlPrefix}/`)) {
      send(
        response,
        await handleControl(scenario, request.method ?? 'GET', url.pathname, body.toString('utf8')),
      );
      return;
    }
    const requestId = randomUUID();
    const call = identify(request, url, body, requestId);
    if (!call) {
      send(response, {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          message: `The sandbox does not recognise ${request.method} ${url.pathname} as an AWS call`,
        }),
      });
      return;
    }
    const started = performance.now();
    scenario.recordCall(call.service, call.operation);
    if (call.operation === 'FilterLogEvents') scenario.recordFilterPattern(filterPatternOf(body));
    const fault = scenario.takeFault(call.service, call.operation);
    let reply: HttpReply;
    if (fault?.kind === 'hang') {
      // Never answer: the client's own timeout is what is being tested.
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      log(`${call.service}.${call.operation} hanging (fault)`);
      return;
    }
    if (fault?.kind === 'latency') await delay(fault.latencyMs ?? 1000);
    if (fault?.kind === 'throttle') reply = call.renderError(throttlingError(call.service));
    else if (fault?.kind === 'error5xx') reply = call.renderError(serverError(call.service));
    else {
      try {
        reply = await call.run();
      } catch (error) {
        if (!(error instanceof AwsApiError)) console.error('[sandbox] unexpected error', error);
        reply = call.renderError(
          error instanceof AwsApiError
            ? error
            : new AwsApiError('InternalFailure', 500, error instanceof Error ? error.message : String(error)),
        );
      }
    }
    send(response, reply);
    log(
      `${call.service}.${call.operation} ${reply.status} ${Math.round(performance.now() - started)}ms${fault ? ` (fault: ${fault.kind})` : ''}`,
    );
  };

  const log = (line: string) => {
    if (!options.quiet) console.log(`[sandbox] ${line}`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[sandbox] request failed', error);
      if (!response.headersSent) send(response, { status: 500, headers: {}, body: 'sandbox error' });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: HttpReply): void {
  if (response.destroyed) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.byteLength) });
  response.end(body);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The filter pattern of a FilterLogEvents body ('' for none or unreadable). */
function filterPatternOf(body: Buffer): string {
  try {
    const pattern = (JSON.parse(body.toString('utf8')) as { filterPattern?: unknown }).filterPattern;
    return typeof pattern === 'string' ? pattern : '';
  } catch {
    return '';
  }
}
