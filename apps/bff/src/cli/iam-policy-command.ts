// `flightdeck iam-policy [--config F] [--account ID]`: the least-privilege IAM policy for the
// configured resources, printed as JSON to attach to Flightdeck's role. Offline: it reads the
// config, never AWS.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { iamPolicy } from '@flightdeck/core';
import { ConfigError, loadConfig } from '../config.js';

export class IamPolicyUsageError extends Error {}

export function iamPolicyCommand(argv: readonly string[], cwd: string): string {
  let values: { config?: string; account?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string' }, account: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new IamPolicyUsageError((error as Error).message);
  }
  let config;
  try {
    // Without --config: FLIGHTDECK_CONFIG, as `pnpm start:production` reads it.
    config = loadConfig(values.config ? ['--config', resolve(cwd, values.config)] : []);
  } catch (error) {
    if (error instanceof ConfigError) throw new IamPolicyUsageError(error.message);
    throw error;
  }
  const accountId = values.account ?? config.aws.expectedAccountId;
  if (!accountId || !/^\d{12}$/.test(accountId))
    throw new IamPolicyUsageError(
      'Which AWS account? Set aws.expectedAccountId in the config or pass --account <12 digits>.',
    );
  const policy = iamPolicy({
    region: config.aws.region,
    accountId,
    dbInstance: config.rds.dbInstanceIdentifier,
    functions: config.functions.map(({ name, alias }) => ({ name, alias })),
    sqlFunction: config.database.via === 'lambda' ? (config.database.sqlFunction ?? null) : null,
  });
  return `${JSON.stringify(policy, null, 2)}\n`;
}
