import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from '../start-sandbox.js';

/** 2026-02-03 06:35 UTC: a few minutes after the story's snapshot, before the migrations. */
export const storyMoment = Date.parse('2026-02-03T06:35:00.000Z');

export interface SandboxClients {
  cloudWatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  lambda: LambdaClient;
  rds: RDSClient;
  sts: STSClient;
  destroy(): void;
}

/** The real SDK v3 clients pointed at the sandbox, as the BFF configures them. */
export function clientsFor(
  sandbox: Sandbox,
  overrides: { maxAttempts?: number; requestTimeoutMs?: number } = {},
): SandboxClients {
  const config = {
    endpoint: sandbox.awsEndpoint,
    region: sandbox.region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: overrides.maxAttempts ?? 1,
    // Without throwOnRequestTimeout the SDK only logs a warning when the timeout passes.
    ...(overrides.requestTimeoutMs === undefined
      ? {}
      : { requestHandler: { requestTimeout: overrides.requestTimeoutMs, throwOnRequestTimeout: true } }),
  };
  const clients = {
    cloudWatch: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
    lambda: new LambdaClient(config),
    rds: new RDSClient(config),
    sts: new STSClient(config),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) };
}

/**
 * A sandbox on free ports whose real clock stands still at the story's moment, so only
 * `advanceClock` moves time and every run sees the same data.
 */
export async function startStorySandbox(): Promise<Sandbox> {
  return startSandbox({ awsPort: 0, dbPort: 0, quiet: true, now: () => storyMoment });
}
