import { CreateDBSnapshotCommand, type RDSClient } from '@aws-sdk/client-rds';

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
