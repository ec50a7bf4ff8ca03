import { AwsApiError } from '../aws/aws-error.js';
import { hexFrom } from '../scenario/prng.js';
import type { Timeline } from '../scenario/timeline.js';
import {
  accountId,
  automatedBackups,
  databaseStory,
  preMigrationSnapshotCreatedAt,
  region,
  storyNames,
} from '../story.js';

/** How long things take, in scenario time. */
export const snapshotDurationMs = 60_000;
export const restoreCreatingMs = 12 * 60_000;
export const restoreDurationMs = 15 * 60_000;

export interface DbInstance {
  identifier: string;
  instanceClass: string;
  allocatedStorageGb: number;
  engineVersion: string;
  createdMs: number;
  /** Set for an instance restored from a snapshot: when the restore started. */
  restore?: { snapshotIdentifier: string; startedMs: number };
  endpoint: { address: string; port: number };
  multiAz: boolean;
  publiclyAccessible: boolean;
  subnetGroup: string;
  /** VPC security groups; a restore without VpcSecurityGroupIds gets the VPC's default group, as in RDS. */
  securityGroupIds: string[];
  parameterGroup: string;
  tags: { Key: string; Value: string }[];
  dbiResourceId: string;
}

/** What RDS gives a restored instance that names no security group: the VPC's default one. */
export const defaultVpcSecurityGroupId = 'sg-0default00000000vpc';

export interface DbSnapshot {
  identifier: string;
  instanceIdentifier: string;
  type: 'manual' | 'automated';
  createdMs: number;
  instanceCreatedMs: number;
  engineVersion: string;
  allocatedStorageGb: number;
  dbiResourceId: string;
  tags: { Key: string; Value: string }[];
}

export interface SnapshotStatus {
  status: 'creating' | 'available';
  percentProgress: number;
}

/**
 * The story's RDS: the production instance (its endpoint is the demo database), its
 * snapshots, and whatever the deploy creates. Statuses follow the scenario clock.
 */
export class RdsFleet {
  private readonly instances = new Map<string, DbInstance>();
  private readonly snapshots = new Map<string, DbSnapshot>();

  constructor(
    storyStartMs: number,
    demoDatabase: { host: string; port: number },
    private readonly timeline: Timeline,
    private readonly now: () => number,
  ) {
    const production: DbInstance = {
      identifier: storyNames.dbInstance,
      instanceClass: databaseStory.instanceClass,
      allocatedStorageGb: databaseStory.allocatedStorageGb,
      engineVersion: databaseStory.engineVersion,
      createdMs: Date.parse(databaseStory.instanceCreateTime),
      endpoint: { address: demoDatabase.host, port: demoDatabase.port },
      multiAz: false,
      publiclyAccessible: false,
      subnetGroup: databaseStory.subnetGroup,
      securityGroupIds: [databaseStory.securityGroupId],
      parameterGroup: databaseStory.parameterGroup,
      tags: [
        { Key: 'Environment', Value: 'production' },
        { Key: 'Application', Value: 'credentialmate' },
      ],
      dbiResourceId: databaseStory.dbiResourceId,
    };
    this.instances.set(production.identifier, production);
    const day = 86_400_000;
    const todaysBackup =
      Math.floor(storyStartMs / day) * day +
      (automatedBackups.utcHour * 60 + automatedBackups.utcMinute) * 60_000;
    const lastBackup = todaysBackup <= storyStartMs ? todaysBackup : todaysBackup - day;
    for (let i = automatedBackups.count - 1; i >= 0; i--) {
      const createdMs = lastBackup - i * day;
      const stamp = new Date(createdMs).toISOString().slice(0, 16).replace('T', '-').replace(':', '-');
      this.addSnapshot(production, `rds:${production.identifier}-${stamp}`, 'automated', createdMs, []);
    }
    this.addSnapshot(production, storyNames.snapshot, 'manual', Date.parse(preMigrationSnapshotCreatedAt), [
      { Key: 'Purpose', Value: 'pre-migration backup 20260115_0200 -> 20260131_0000' },
    ]);
  }

  instanceList(identifier?: string): DbInstance[] {
    if (identifier === undefined) return [...this.instances.values()];
    const instance = this.instances.get(identifier);
    if (!instance) throw instanceNotFound(identifier);
    return [instance];
  }

  snapshotList(): DbSnapshot[] {
    return [...this.snapshots.values()].sort(
      (a, b) => a.createdMs - b.createdMs || a.identifier.localeCompare(b.identifier),
    );
  }

  snapshot(identifier: string): DbSnapshot {
    const snapshot = this.snapshots.get(identifier);
    if (!snapshot) throw snapshotNotFound(identifier);
    return snapshot;
  }

  instanceStatus(instance: DbInstance, nowMs: number): string {
    if (instance.restore) {
      const elapsed = nowMs - instance.restore.startedMs;
      if (elapsed < restoreCreatingMs) return 'creating';
      // After a restore RDS takes the instance's first automated backup.
      if (elapsed < restoreDurationMs) return 'backing-up';
    }
    // A single-AZ instance shows backing-up while a snapshot of it is taken.
    const snapshotting = [...this.snapshots.values()].some(
      (s) =>
        s.instanceIdentifier === instance.identifier && this.snapshotStatus(s, nowMs).status === 'creating',
    );
    return snapshotting && !instance.multiAz ? 'backing-up' : 'available';
  }

  snapshotStatus(snapshot: DbSnapshot, nowMs: number): SnapshotStatus {
    const elapsed = nowMs - snapshot.createdMs;
    if (snapshot.type === 'manual' && elapsed >= 0 && elapsed < snapshotDurationMs)
      return { status: 'creating', percentProgress: Math.floor((elapsed / snapshotDurationMs) * 100) };
    return { status: 'available', percentProgress: 100 };
  }

  createSnapshot(
    snapshotIdentifier: string,
    instanceIdentifier: string,
    tags: { Key: string; Value: string }[],
  ): DbSnapshot {
    const nowMs = this.now();
    assertIdentifier(snapshotIdentifier, 'DBSnapshotIdentifier');
    const [instance] = this.instanceList(instanceIdentifier);
    if (this.snapshots.has(snapshotIdentifier))
      throw new AwsApiError(
        'DBSnapshotAlreadyExists',
        400,
        `Cannot create the snapshot because a snapshot with the identifier ${snapshotIdentifier} already exists.`,
      );
    const status = this.instanceStatus(instance!, nowMs);
    if (status !== 'available')
      throw new AwsApiError(
        'InvalidDBInstanceState',
        400,
        `Cannot create a snapshot because the database instance ${instanceIdentifier} is not currently in the available state.`,
      );
    this.timeline.record(
      nowMs,
      'snapshot-created',
      `Snapshot ${snapshotIdentifier} of ${instanceIdentifier} started`,
      snapshotIdentifier,
    );
    this.timeline.record(
      nowMs + snapshotDurationMs,
      'snapshot-available',
      `Snapshot ${snapshotIdentifier} is available`,
      snapshotIdentifier,
    );
    return this.addSnapshot(instance!, snapshotIdentifier, 'manual', nowMs, tags);
  }

  restoreFromSnapshot(request: {
    instanceIdentifier: string;
    snapshotIdentifier: string;
    instanceClass?: string;
    multiAz?: boolean;
    publiclyAccessible?: boolean;
    subnetGroup?: string;
    securityGroupIds?: string[];
    parameterGroup?: string;
    port?: number;
    tags: { Key: string; Value: string }[];
  }): DbInstance {
    const nowMs = this.now();
    assertIdentifier(request.instanceIdentifier, 'DBInstanceIdentifier', 63);
    if (this.instances.has(request.instanceIdentifier))
      throw new AwsApiError('DBInstanceAlreadyExists', 400, 'DB instance already exists');
    const snapshot = this.snapshot(request.snapshotIdentifier);
    if (this.snapshotStatus(snapshot, nowMs).status !== 'available')
      throw new AwsApiError(
        'InvalidDBSnapshotState',
        400,
        `Snapshot ${snapshot.identifier} is not in the available state.`,
      );
    const source = this.instances.get(snapshot.instanceIdentifier);
    const instance: DbInstance = {
      identifier: request.instanceIdentifier,
      instanceClass: request.instanceClass ?? source?.instanceClass ?? databaseStory.instanceClass,
      allocatedStorageGb: snapshot.allocatedStorageGb,
      engineVersion: snapshot.engineVersion,
      createdMs: nowMs,
      restore: { snapshotIdentifier: snapshot.identifier, startedMs: nowMs },
      endpoint: {
        address: `${request.instanceIdentifier}.c${hexFrom(accountId, 11)}.${region}.rds.amazonaws.com`,
        port: request.port ?? 5432,
      },
      multiAz: request.multiAz ?? false,
      publiclyAccessible: request.publiclyAccessible ?? false,
      subnetGroup: request.subnetGroup ?? source?.subnetGroup ?? databaseStory.subnetGroup,
      securityGroupIds:
        request.securityGroupIds && request.securityGroupIds.length > 0
          ? request.securityGroupIds
          : [defaultVpcSecurityGroupId],
      parameterGroup: request.parameterGroup ?? `default.postgres${snapshot.engineVersion.split('.')[0]}`,
      tags: request.tags,
      dbiResourceId: `db-${hexFrom(request.instanceIdentifier, 26).toUpperCase()}`,
    };
    this.instances.set(instance.identifier, instance);
    this.timeline.record(
      nowMs,
      'restore-started',
      `Restore of ${snapshot.identifier} into ${instance.identifier} started`,
      instance.identifier,
    );
    this.timeline.record(
      nowMs + restoreDurationMs,
      'restore-available',
      `${instance.identifier} (restored from ${snapshot.identifier}) is available`,
      instance.identifier,
    );
    return instance;
  }

  private addSnapshot(
    instance: DbInstance,
    identifier: string,
    type: 'manual' | 'automated',
    createdMs: number,
    tags: { Key: string; Value: string }[],
  ): DbSnapshot {
    const snapshot: DbSnapshot = {
      identifier,
      instanceIdentifier: instance.identifier,
      type,
      createdMs,
      instanceCreatedMs: instance.createdMs,
      engineVersion: instance.engineVersion,
      allocatedStorageGb: instance.allocatedStorageGb,
      dbiResourceId: instance.dbiResourceId,
      tags,
    };
    this.snapshots.set(identifier, snapshot);
    return snapshot;
  }
}

/** RDS identifiers: a letter first, then letters, digits and single hyphens, no trailing hyphen. */
function assertIdentifier(identifier: string, parameter: string, maxLength = 255): void {
  if (
    identifier.length > maxLength ||
    !/^[A-Za-z][A-Za-z0-9-]*$/.test(identifier) ||
    identifier.includes('--') ||
    identifier.endsWith('-')
  )
    throw new AwsApiError(
      'InvalidParameterValue',
      400,
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
}

function instanceNotFound(identifier: string): AwsApiError {
  return new AwsApiError('DBInstanceNotFound', 404, `DBInstance ${identifier} not found.`);
}

function snapshotNotFound(identifier: string): AwsApiError {
  return new AwsApiError('DBSnapshotNotFound', 404, `DBSnapshot ${identifier} not found.`);
}
