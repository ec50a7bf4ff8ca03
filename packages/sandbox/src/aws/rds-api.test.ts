import {
  CreateDBSnapshotCommand,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  InvalidDBSnapshotStateFault,
  RDSServiceException,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../start-sandbox.js';
import { storyNames } from '../story.js';
import { clientsFor, startStorySandbox, type SandboxClients } from '../testing/sandbox-clients.js';

describe('RDS', () => {
  let sandbox: Sandbox;
  let aws: SandboxClients;
  const instance = async (id: string) =>
    (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!;
  const snapshot = async (id: string) =>
    (await aws.rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }))).DBSnapshots![0]!;

  beforeAll(async () => {
    sandbox = await startStorySandbox();
    aws = clientsFor(sandbox);
  });
  afterAll(async () => {
    aws?.destroy();
    await sandbox?.close();
  });

  it('describes the story instance, whose endpoint is the demo database', async () => {
    const all = await aws.rds.send(new DescribeDBInstancesCommand({}));
    expect(all.DBInstances!.map((i) => i.DBInstanceIdentifier)).toEqual([storyNames.dbInstance]);
    const db = await instance(storyNames.dbInstance);
    const url = new URL(sandbox.databaseUrl);
    expect(db).toMatchObject({
      DBInstanceStatus: 'available',
      Engine: 'postgres',
      EngineVersion: '15.7',
      DBInstanceClass: 'db.t3.medium',
      AllocatedStorage: 20,
      MultiAZ: false,
      Endpoint: { Address: url.hostname, Port: Number(url.port) },
    });
    expect(db.InstanceCreateTime).toBeInstanceOf(Date);
    expect(db.VpcSecurityGroups![0]!.Status).toBe('active');
    const filtered = await aws.rds.send(
      new DescribeDBInstancesCommand({
        Filters: [{ Name: 'db-instance-id', Values: [storyNames.dbInstance] }],
      }),
    );
    expect(filtered.DBInstances).toHaveLength(1);
    const missing = await instance('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DBInstanceNotFoundFault);
    expect((missing as DBInstanceNotFoundFault).$metadata.httpStatusCode).toBe(404);
  });

  it("lists the story's snapshots, filtered like RDS filters them", async () => {
    const all = await aws.rds.send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: storyNames.dbInstance }),
    );
    expect(all.DBSnapshots!.map((s) => s.SnapshotType)).toEqual(['automated', 'automated', 'manual']); // oldest first: the 03:10 backups, then the 06:29 manual one
    const manual = await aws.rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }));
    expect(manual.DBSnapshots!.map((s) => s.DBSnapshotIdentifier)).toEqual([storyNames.snapshot]);
    expect(await snapshot(storyNames.snapshot)).toMatchObject({
      Status: 'available',
      AllocatedStorage: 20,
      PercentProgress: 100,
      EngineVersion: '15.7',
      SnapshotCreateTime: new Date('2026-02-03T06:29:34.000Z'),
    });
    const automated = await aws.rds.send(
      new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'snapshot-type', Values: ['automated'] }] }),
    );
    expect(
      automated.DBSnapshots!.every((s) =>
        s.DBSnapshotIdentifier!.startsWith(`rds:${storyNames.dbInstance}-`),
      ),
    ).toBe(true);
    await expect(snapshot('nope')).rejects.toBeInstanceOf(DBSnapshotNotFoundFault);
  });

  it('creates a snapshot that progresses with the scenario clock', async () => {
    const created = await aws.rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: storyNames.dbInstance,
        DBSnapshotIdentifier: 'flightdeck-pre-deploy-1',
      }),
    );
    expect(created.DBSnapshot).toMatchObject({
      Status: 'creating',
      PercentProgress: 0,
      SnapshotType: 'manual',
    });
    expect((await instance(storyNames.dbInstance)).DBInstanceStatus).toBe('backing-up');
    await sandbox.scenario.advanceClock(30);
    const halfway = await snapshot('flightdeck-pre-deploy-1');
    expect(halfway.Status).toBe('creating');
    expect(halfway.PercentProgress).toBe(50);
    await expect(
      aws.rds.send(
        new CreateDBSnapshotCommand({
          DBInstanceIdentifier: storyNames.dbInstance,
          DBSnapshotIdentifier: 'flightdeck-pre-deploy-1',
        }),
      ),
    ).rejects.toBeInstanceOf(DBSnapshotAlreadyExistsFault);
    await sandbox.scenario.advanceClock(31);
    expect(await snapshot('flightdeck-pre-deploy-1')).toMatchObject({
      Status: 'available',
      PercentProgress: 100,
    });
    expect((await instance(storyNames.dbInstance)).DBInstanceStatus).toBe('available');
    const kinds = sandbox.scenario
      .timeline()
      .filter((e) => e.subject === 'flightdeck-pre-deploy-1')
      .map((e) => e.kind);
    expect(kinds).toEqual(['snapshot-created', 'snapshot-available']);
    const invalid = await aws.rds
      .send(
        new CreateDBSnapshotCommand({
          DBInstanceIdentifier: storyNames.dbInstance,
          DBSnapshotIdentifier: 'bad--name-',
        }),
      )
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(RDSServiceException);
    expect((invalid as RDSServiceException).name).toBe('InvalidParameterValue');
  });

  it('restores a snapshot into a new instance: creating, backing-up, then available after 15 minutes', async () => {
    const restoring = await aws.rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: 'prod-credmate-restored-20260203',
        DBSnapshotIdentifier: storyNames.snapshot,
      }),
    );
    expect(restoring.DBInstance).toMatchObject({
      DBInstanceStatus: 'creating',
      DBInstanceClass: 'db.t3.medium',
    });
    expect(restoring.DBInstance!.Endpoint).toBeUndefined();
    await sandbox.scenario.advanceClock(12 * 60);
    expect((await instance('prod-credmate-restored-20260203')).DBInstanceStatus).toBe('backing-up');
    await sandbox.scenario.advanceClock(3 * 60);
    const restored = await instance('prod-credmate-restored-20260203');
    expect(restored.DBInstanceStatus).toBe('available');
    expect(restored.Endpoint!.Address).toMatch(/^prod-credmate-restored-20260203\..*\.rds\.amazonaws\.com$/);
    expect(sandbox.scenario.timeline().map((e) => e.kind)).toEqual(
      expect.arrayContaining(['restore-started', 'restore-available']),
    );

    await aws.rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: storyNames.dbInstance,
        DBSnapshotIdentifier: 'still-creating',
      }),
    );
    await expect(
      aws.rds.send(
        new RestoreDBInstanceFromDBSnapshotCommand({
          DBInstanceIdentifier: 'too-early',
          DBSnapshotIdentifier: 'still-creating',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidDBSnapshotStateFault);
  });

  it('carries the class, subnet group, security groups and parameter group it is given, and refuses a duplicate identifier', async () => {
    const request = {
      DBInstanceIdentifier: 'prod-credmate-db-rb-carried',
      DBSnapshotIdentifier: storyNames.snapshot,
      DBInstanceClass: 'db.r6g.large',
      DBSubnetGroupName: 'credmate-prod-private',
      VpcSecurityGroupIds: ['sg-0c1d2e3f4a5b6c7d8'],
      DBParameterGroupName: 'credmate-pg15',
    };
    const restoring = await aws.rds.send(new RestoreDBInstanceFromDBSnapshotCommand(request));
    expect(restoring.DBInstance).toMatchObject({
      DBInstanceClass: 'db.r6g.large',
      DBSubnetGroup: { DBSubnetGroupName: 'credmate-prod-private' },
      VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0c1d2e3f4a5b6c7d8' }],
      DBParameterGroups: [{ DBParameterGroupName: 'credmate-pg15' }],
    });
    const again = await aws.rds
      .send(new RestoreDBInstanceFromDBSnapshotCommand(request))
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ name: 'DBInstanceAlreadyExistsFault' });

    // Without them, RDS uses the VPC's default security group: the reason a rollback must carry them.
    const bare = await aws.rds.send(
      new RestoreDBInstanceFromDBSnapshotCommand({
        DBInstanceIdentifier: 'prod-credmate-db-rb-bare',
        DBSnapshotIdentifier: storyNames.snapshot,
      }),
    );
    expect(bare.DBInstance!.VpcSecurityGroups![0]!.VpcSecurityGroupId).not.toBe('sg-0c1d2e3f4a5b6c7d8');
  });

  it('throttles and fails as RDS does: Throttling (400) and InternalFailure (500)', async () => {
    await sandbox.scenario.injectFault({
      service: 'RDS',
      operation: 'DescribeDBInstances',
      kind: 'throttle',
      remaining: 1,
    });
    const throttled = await instance(storyNames.dbInstance).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(RDSServiceException);
    expect(throttled).toMatchObject({
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    await sandbox.scenario.injectFault({
      service: 'RDS',
      operation: 'DescribeDBInstances',
      kind: 'error5xx',
      remaining: 1,
    });
    const failed = await instance(storyNames.dbInstance).catch((e: unknown) => e);
    expect(failed).toMatchObject({
      name: 'InternalFailure',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    expect((await instance(storyNames.dbInstance)).DBInstanceStatus).toBeDefined();
  });
});
