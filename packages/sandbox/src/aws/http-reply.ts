import type { AwsService } from '../scenario/faults.js';
import type { AwsApiError } from './aws-error.js';

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** An incoming request, recognised as one AWS operation of one service. */
export interface AwsCall {
  service: AwsService;
  operation: string;
  /** Runs the operation; may throw AwsApiError. */
  run(): Promise<HttpReply>;
  /** Renders an error the way this protocol does. */
  renderError(error: AwsApiError): HttpReply;
}
