import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import type { FlightdeckConfig } from '../../config.js';

export interface AwsClients {
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  rds: RDSClient;
  lambda: LambdaClient;
  sts: STSClient;
  destroy(): void;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The official SDK v3 clients, configured like any AWS tool: region, optional endpoint,
 * and the default credential chain (AWS_PROFILE, env, SSO, instance role) unless the
 * sandbox hands its own static credentials.
 */
export function createAwsClients(aws: FlightdeckConfig['aws'], credentials?: StaticCredentials): AwsClients {
  const common = {
    region: aws.region,
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(aws.profile && !credentials ? { profile: aws.profile } : {}),
    // A hung upstream must fail its panel, not pin a collector forever.
    requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
  };
  const clients = {
    cloudwatch: new CloudWatchClient(common),
    logs: new CloudWatchLogsClient(common),
    rds: new RDSClient(common),
    lambda: new LambdaClient(common),
    sts: new STSClient(common),
  };
  return {
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
