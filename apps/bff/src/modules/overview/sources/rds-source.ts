import {
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  type DBSnapshot,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { DbSnapshot, RdsStatus } from '@flightdeck/contracts';
import { latestSnapshot } from '@flightdeck/core';
import type { Source } from '../../../platform/sources/collector.js';

function toSnapshot(s: DBSnapshot): DbSnapshot {
  return {
    id: s.DBSnapshotIdentifier ?? '(unnamed)',
    dbInstance: s.DBInstanceIdentifier ?? '',
    status: s.Status ?? 'unknown',
    type: s.SnapshotType ?? 'unknown',
    createdAt: s.SnapshotCreateTime?.toISOString() ?? null,
    sizeGb: s.AllocatedStorage ?? null,
    progressPercent: s.PercentProgress ?? null,
    engineVersion: s.EngineVersion ?? null,
  };
}

/** The production instance and its snapshots: what a database restore would start from. */
export class RdsSource implements Source<RdsStatus> {
  constructor(
    private readonly rds: RDSClient,
    private readonly dbInstanceIdentifier: string,
  ) {}

  async fetch(): Promise<RdsStatus> {
    const [instances, snapshots] = await Promise.all([
      this.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: this.dbInstanceIdentifier })),
      this.listSnapshots(),
    ]);
    const db = instances.DBInstances?.[0];
    const all = snapshots.map(toSnapshot);
    return {
      instance: db
        ? {
            id: db.DBInstanceIdentifier ?? this.dbInstanceIdentifier,
            status: db.DBInstanceStatus ?? 'unknown',
            engine: db.Engine ?? 'unknown',
            engineVersion: db.EngineVersion ?? 'unknown',
            instanceClass: db.DBInstanceClass ?? 'unknown',
            allocatedStorageGb: db.AllocatedStorage ?? 0,
          }
        : null,
      latestSnapshot: latestSnapshot(all),
      latestManualSnapshot: latestSnapshot(all.filter((s) => s.type === 'manual')),
      snapshotCount: all.length,
    };
  }

  private async listSnapshots(): Promise<DBSnapshot[]> {
    const out: DBSnapshot[] = [];
    let marker: string | undefined;
    do {
      const page = await this.rds.send(
        new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: this.dbInstanceIdentifier, Marker: marker }),
      );
      out.push(...(page.DBSnapshots ?? []));
      marker = page.Marker;
    } while (marker);
    return out;
  }
}
