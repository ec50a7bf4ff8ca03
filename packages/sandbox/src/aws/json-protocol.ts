import type { AwsService } from '../scenario/faults.js';
import { AwsApiError } from './aws-error.js';
import type { AwsCall, HttpReply } from './http-reply.js';

export type JsonInput = Record<string, unknown>;

/** A service on awsJson1_0/1_1: POST /, X-Amz-Target: <prefix>.<Operation>, JSON body. */
export interface JsonRpcService {
  service: AwsService;
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** Model namespace for "__type", e.g. com.amazonaws.cloudwatch. */
  namespace: string;
  /** CloudWatch speaks JSON but keeps its awsQuery error codes (x-amzn-query-error). */
  queryCompatible: boolean;
  operations: Record<string, (input: JsonInput) => unknown>;
}

export function jsonRpcCall(
  service: JsonRpcService,
  operation: string,
  body: string,
  requestId: string,
): AwsCall {
  const contentType = `application/x-amz-json-${service.jsonVersion}`;
  const renderError = (error: AwsApiError): HttpReply => {
    const shape = error.shapeName ?? error.code;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': shape,
      ...error.headers,
    };
    if (service.queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
    const type = service.queryCompatible ? `${service.namespace}#${shape}` : error.code;
    return {
      status: error.status,
      headers,
      body: JSON.stringify({ __type: type, message: error.message, ...error.members }),
    };
  };
  return {
    service: service.service,
    operation,
    renderError,
    async run() {
      const handler = Object.hasOwn(service.operations, operation)
        ? service.operations[operation]
        : undefined;
      if (!handler)
        throw new AwsApiError(
          'UnknownOperationException',
          400,
          `The sandbox does not implement ${service.service}.${operation}`,
        );
      let input: JsonInput;
      try {
        const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('not an object');
        input = parsed as JsonInput;
      } catch {
        throw new AwsApiError('SerializationException', 400, 'Request body is not a JSON object');
      }
      const output = await handler(input);
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
        body: JSON.stringify(output ?? {}),
      };
    },
  };
}

/** Reads typed members of a JSON request, answering the service's validation error when wrong. */
export class JsonFields {
  constructor(
    private readonly input: JsonInput,
    private readonly invalid: (message: string) => AwsApiError,
  ) {}

  string(name: string): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.invalid(`${name} must be a string`);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.invalid(`${name} must be a number`);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw this.invalid(`${name} must be a boolean`);
    return value;
  }

  strings(name: string): string[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw this.invalid(`${name} must be a list of strings`);
    return value as string[];
  }

  array(name: string): unknown[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw this.invalid(`${name} must be a list`);
    return value;
  }
}

/** Opaque pagination tokens: base64url JSON, tied to the request they continue. */
export function encodeToken(payload: object): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
