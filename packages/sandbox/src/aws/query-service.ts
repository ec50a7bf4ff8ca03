import type { AwsService } from '../scenario/faults.js';
import { AwsApiError } from './aws-error.js';
import type { AwsCall } from './http-reply.js';
import { QueryParams, queryErrorResponse, queryResponse } from './query-protocol.js';
import type { XmlObject } from './xml.js';

/** A service on awsQuery: form-encoded POST with Action=…, XML answers (RDS, STS). */
export interface QueryService {
  service: AwsService;
  /** The API version the SDK sends (Version=…), also naming the service when the signature does not. */
  version: string;
  xmlNamespace: string;
  operations: Record<string, (params: QueryParams) => XmlObject | undefined | Promise<XmlObject | undefined>>;
}

export function queryCall(service: QueryService, params: QueryParams, requestId: string): AwsCall {
  const operation = params.action ?? 'Unknown';
  const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
  return {
    service: service.service,
    operation,
    renderError: (error) => ({
      status: error.status,
      headers,
      body: queryErrorResponse(service.xmlNamespace, error, requestId),
    }),
    async run() {
      const handler = Object.hasOwn(service.operations, operation)
        ? service.operations[operation]
        : undefined;
      if (!handler)
        throw new AwsApiError(
          'InvalidAction',
          400,
          `The action ${operation} is not valid for this web service (the sandbox implements ${Object.keys(service.operations).join(', ')}).`,
        );
      const result = await handler(params);
      return {
        status: 200,
        headers,
        body: queryResponse(operation, service.xmlNamespace, result, requestId),
      };
    },
  };
}
