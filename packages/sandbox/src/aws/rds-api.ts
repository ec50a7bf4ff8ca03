import type { DbInstance, DbSnapshot } from '../rds/rds-fleet.js';
import type { Scenario } from '../scenario/scenario.js';
import { accountId, databaseStory, region } from '../story.js';
import { AwsApiError } from './aws-error.js';
import type { QueryParams } from './query-protocol.js';
import type { QueryService } from './query-service.js';
import { XmlList, type XmlObject } from './xml.js';

export function rdsService(scenario: Scenario): QueryService {
  return {
    service: 'RDS',
    version: '2014-10-31',
    xmlNamespace: 'http://rds.amazonaws.com/doc/2014-10-31/',
    operations: {
      DescribeDBInstances: (params) => describeDBInstances(scenario, params),
      DescribeDBSnapshots: (params) => describeDBSnapshots(scenario, params),
      CreateDBSnapshot: (params) => {
        const snapshot = scenario.rds.createSnapshot(
          params.required('DBSnapshotIdentifier'),
          params.required('DBInstanceIdentifier'),
          params.tags(),
        );
        return { DBSnapshot: snapshotXml(scenario, snapshot) };
      },
      RestoreDBInstanceFromDBSnapshot: (params) => {
        const port = params.integer('Port');
        const instanceClass = params.string('DBInstanceClass');
        const multiAz = params.boolean('MultiAZ');
        const publiclyAccessible = params.boolean('PubliclyAccessible');
        const subnetGroup = params.string('DBSubnetGroupName');
        const securityGroupIds = params.list('VpcSecurityGroupIds', 'VpcSecurityGroupId');
        const parameterGroup = params.string('DBParameterGroupName');
        const instance = scenario.rds.restoreFromSnapshot({
          instanceIdentifier: params.required('DBInstanceIdentifier'),
          snapshotIdentifier: params.required('DBSnapshotIdentifier'),
          tags: params.tags(),
          ...(port === undefined ? {} : { port }),
          ...(instanceClass === undefined ? {} : { instanceClass }),
          ...(multiAz === undefined ? {} : { multiAz }),
          ...(publiclyAccessible === undefined ? {} : { publiclyAccessible }),
          ...(subnetGroup === undefined ? {} : { subnetGroup }),
          ...(securityGroupIds.length === 0 ? {} : { securityGroupIds }),
          ...(parameterGroup === undefined ? {} : { parameterGroup }),
        });
        return { DBInstance: instanceXml(scenario, instance) };
      },
    },
  };
}

/** MaxRecords 20-100 (default 100) and an opaque Marker, as RDS pages. */
function paginate<T>(params: QueryParams, items: T[]): { page: T[]; marker?: string } {
  const maxRecords = params.integer('MaxRecords') ?? 100;
  if (maxRecords < 20 || maxRecords > 100)
    throw new AwsApiError(
      'InvalidParameterValue',
      400,
      'Invalid value for MaxRecords. Must be between 20 and 100',
    );
  const markerText = params.string('Marker');
  const offset = markerText === undefined ? 0 : Number(Buffer.from(markerText, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0)
    throw new AwsApiError('InvalidParameterValue', 400, 'Invalid Marker');
  const page = items.slice(offset, offset + maxRecords);
  return offset + maxRecords < items.length
    ? { page, marker: Buffer.from(String(offset + maxRecords)).toString('base64url') }
    : { page };
}

function describeDBInstances(scenario: Scenario, params: QueryParams): XmlObject {
  let instances = scenario.rds.instanceList(params.string('DBInstanceIdentifier'));
  for (const filter of params.filters()) {
    if (filter.name === 'db-instance-id')
      instances = instances.filter(
        (i) => filter.values.includes(i.identifier) || filter.values.includes(instanceArn(i.identifier)),
      );
    else if (filter.name === 'engine')
      instances = instances.filter(() => filter.values.includes(databaseStory.engine));
    else throw new AwsApiError('InvalidParameterValue', 400, `Unrecognized filter name: ${filter.name}`);
  }
  const { page, marker } = paginate(params, instances);
  return {
    ...(marker ? { Marker: marker } : {}),
    DBInstances: new XmlList(
      'DBInstance',
      page.map((i) => instanceXml(scenario, i)),
    ),
  };
}

function describeDBSnapshots(scenario: Scenario, params: QueryParams): XmlObject {
  const snapshotId = params.string('DBSnapshotIdentifier');
  const instanceId = params.string('DBInstanceIdentifier');
  const type = params.string('SnapshotType');
  let snapshots =
    snapshotId === undefined ? scenario.rds.snapshotList() : [scenario.rds.snapshot(snapshotId)];
  if (instanceId !== undefined) snapshots = snapshots.filter((s) => s.instanceIdentifier === instanceId);
  if (type !== undefined) {
    if (!['automated', 'manual', 'shared', 'public', 'awsbackup'].includes(type))
      throw new AwsApiError('InvalidParameterValue', 400, `Invalid snapshot type: ${type}`);
    snapshots = snapshots.filter((s) => s.type === type);
  }
  for (const filter of params.filters()) {
    const keep: Record<string, (s: DbSnapshot) => boolean> = {
      'db-instance-id': (s) => filter.values.includes(s.instanceIdentifier),
      'db-snapshot-id': (s) => filter.values.includes(s.identifier),
      'snapshot-type': (s) => filter.values.includes(s.type),
      engine: () => filter.values.includes(databaseStory.engine),
    };
    const predicate = keep[filter.name];
    if (!predicate)
      throw new AwsApiError('InvalidParameterValue', 400, `Unrecognized filter name: ${filter.name}`);
    snapshots = snapshots.filter(predicate);
  }
  const { page, marker } = paginate(params, snapshots);
  return {
    ...(marker ? { Marker: marker } : {}),
    DBSnapshots: new XmlList(
      'DBSnapshot',
      page.map((s) => snapshotXml(scenario, s)),
    ),
  };
}

function instanceArn(identifier: string): string {
  return `arn:aws:rds:${region}:${accountId}:db:${identifier}`;
}

function instanceXml(scenario: Scenario, instance: DbInstance): XmlObject {
  const now = scenario.now();
  const status = scenario.rds.instanceStatus(instance, now);
  const ready = status !== 'creating';
  return {
    DBInstanceIdentifier: instance.identifier,
    DBInstanceClass: instance.instanceClass,
    Engine: databaseStory.engine,
    DBInstanceStatus: status,
    MasterUsername: databaseStory.masterUsername,
    DBName: databaseStory.dbName,
    // A restore in progress has no endpoint yet.
    Endpoint: ready
      ? { Address: instance.endpoint.address, Port: instance.endpoint.port, HostedZoneId: 'Z2R2ITUGPM61AM' }
      : undefined,
    AllocatedStorage: instance.allocatedStorageGb,
    InstanceCreateTime: ready ? new Date(instance.createdMs) : undefined,
    PreferredBackupWindow: '03:10-03:40',
    BackupRetentionPeriod: 7,
    DBSecurityGroups: new XmlList('DBSecurityGroup', []),
    VpcSecurityGroups: new XmlList(
      'VpcSecurityGroupMembership',
      instance.securityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    ),
    DBParameterGroups: new XmlList('DBParameterGroup', [
      { DBParameterGroupName: instance.parameterGroup, ParameterApplyStatus: 'in-sync' },
    ]),
    AvailabilityZone: databaseStory.availabilityZone,
    DBSubnetGroup: {
      DBSubnetGroupName: instance.subnetGroup,
      DBSubnetGroupDescription: 'CredentialMate production private subnets',
      VpcId: databaseStory.vpcId,
      SubnetGroupStatus: 'Complete',
    },
    PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    PendingModifiedValues: {},
    LatestRestorableTime: ready ? new Date(Math.floor((now - 300_000) / 1000) * 1000) : undefined,
    MultiAZ: instance.multiAz,
    EngineVersion: instance.engineVersion,
    AutoMinorVersionUpgrade: true,
    LicenseModel: 'postgresql-license',
    OptionGroupMemberships: new XmlList('OptionGroupMembership', [
      { OptionGroupName: 'default:postgres-15', Status: 'in-sync' },
    ]),
    PubliclyAccessible: instance.publiclyAccessible,
    StorageType: 'gp3',
    Iops: 3000,
    StorageThroughput: 125,
    DbInstancePort: 0,
    StorageEncrypted: true,
    KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/5f2b8c1e-9a7d-4e3b-b6c0-2d1f8e9a7b3c`,
    DbiResourceId: instance.dbiResourceId,
    CACertificateIdentifier: 'rds-ca-rsa2048-g1',
    CopyTagsToSnapshot: true,
    MonitoringInterval: 0,
    DBInstanceArn: instanceArn(instance.identifier),
    IAMDatabaseAuthenticationEnabled: false,
    PerformanceInsightsEnabled: false,
    DeletionProtection: true,
    TagList: new XmlList('Tag', instance.tags),
    CustomerOwnedIpEnabled: false,
    BackupTarget: 'region',
    NetworkType: 'IPV4',
    CertificateDetails: {
      CAIdentifier: 'rds-ca-rsa2048-g1',
      ValidTill: new Date('2026-08-18T13:38:00.000Z'),
    },
    DedicatedLogVolume: false,
    MultiTenant: false,
  };
}

function snapshotXml(scenario: Scenario, snapshot: DbSnapshot): XmlObject {
  const { status, percentProgress } = scenario.rds.snapshotStatus(snapshot, scenario.now());
  return {
    DBSnapshotIdentifier: snapshot.identifier,
    DBInstanceIdentifier: snapshot.instanceIdentifier,
    SnapshotCreateTime: new Date(snapshot.createdMs),
    Engine: databaseStory.engine,
    AllocatedStorage: snapshot.allocatedStorageGb,
    Status: status,
    Port: 5432,
    AvailabilityZone: databaseStory.availabilityZone,
    VpcId: databaseStory.vpcId,
    InstanceCreateTime: new Date(snapshot.instanceCreatedMs),
    MasterUsername: databaseStory.masterUsername,
    EngineVersion: snapshot.engineVersion,
    LicenseModel: 'postgresql-license',
    SnapshotType: snapshot.type,
    Iops: 3000,
    StorageThroughput: 125,
    OptionGroupName: 'default:postgres-15',
    PercentProgress: percentProgress,
    StorageType: 'gp3',
    Encrypted: true,
    KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/5f2b8c1e-9a7d-4e3b-b6c0-2d1f8e9a7b3c`,
    DBSnapshotArn: `arn:aws:rds:${region}:${accountId}:snapshot:${snapshot.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    DbiResourceId: snapshot.dbiResourceId,
    TagList: new XmlList('Tag', snapshot.tags),
    OriginalSnapshotCreateTime: new Date(snapshot.createdMs),
    SnapshotTarget: 'region',
    DedicatedLogVolume: false,
    MultiTenant: false,
  };
}
