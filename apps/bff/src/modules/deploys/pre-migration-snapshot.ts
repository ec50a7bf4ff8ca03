import { CreateDBSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import type { FlightdeckConfig } from '../../config.js';

/** `<instance>-pre-migration-<YYYYMMDD-HHMMSS>` in UTC, as the story named its snapshot. */
export function preMigrationSnapshotName(instance: string, at: string): string {
  const stamp = at.slice(0, 19).replace(/-/g, '').replace(':', '').replace(':', '').replace('T', '-');
  return `${instance}-pre-migration-${stamp}`;
}

export interface SnapshotTaker {
  create(identifier: string, instance: string): Promise<void>;
  close(): void;
}

/** CreateDBSnapshot sent once: a lost answer is retried by the caller under the same name, never doubled. */
export function rdsSnapshotTaker(
  aws: FlightdeckConfig['aws'],
  credentials?: { accessKeyId: string; secretAccessKey: string },
): SnapshotTaker {
  const client = new RDSClient({
    region: aws.region,
    maxAttempts: 1,
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(aws.profile && !credentials ? { profile: aws.profile } : {}),
  });
  return {
    async create(identifier, instance) {
      await client.send(
        new CreateDBSnapshotCommand({
          DBSnapshotIdentifier: identifier,
          DBInstanceIdentifier: instance,
          Tags: [{ Key: 'flightdeck:purpose', Value: 'pre-migration' }],
        }),
      );
    },
    close: () => client.destroy(),
  };
}
