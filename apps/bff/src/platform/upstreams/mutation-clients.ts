import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import type { FlightdeckConfig } from '../../config.js';
import type { StaticCredentials } from './aws-clients.js';

/** SDK clients for calls that change AWS: sent once (`maxAttempts: 1`); the job decides any retry. */
export interface MutationClients {
  lambda: LambdaClient;
  rds: RDSClient;
  destroy(): void;
}

export function createMutationClients(
  aws: FlightdeckConfig['aws'],
  credentials?: StaticCredentials,
): MutationClients {
  const common = {
    region: aws.region,
    maxAttempts: 1,
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(aws.profile && !credentials ? { profile: aws.profile } : {}),
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
  };
  const lambda = new LambdaClient(common);
  const rds = new RDSClient(common);
  return {
    lambda,
    rds,
    destroy() {
      lambda.destroy();
      rds.destroy();
    },
  };
}
