import { CreateDBSnapshotCommand, type RDSClient } from '@aws-sdk/client-rds';

/** `<instance>-pre-migration-<YYYYMMDD-HHMMSS>` in UTC, as the story named its snapshot. */
export function preMigrationSnapshotName(instance: string, at: string): string {
  const stamp = at.slice(0, 19).replace(/-/g, '').replace(':', '').replace(':', '').replace('T', '-');
  return `${instance}-pre-migration-${stamp}`;
}

export interface SnapshotTaker {
  create(identifier: string, instance: string): Promise<void>;
}

/** CreateDBSnapshot sent once (a client with `maxAttempts: 1`): a lost answer is retried by the caller under the same name, never doubled. */
export function rdsSnapshotTaker(client: RDSClient): SnapshotTaker {
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
  };
}
