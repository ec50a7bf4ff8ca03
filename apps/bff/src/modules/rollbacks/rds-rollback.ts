// RDS rollback: restore the pre-migration snapshot into a new instance, carrying the
// original's class, subnet group, security groups and parameter group, then follow it
// until available. The new instance's name derives from the job id, so a resumed job
// asks RDS whether it exists before it would ever send the restore again.
import {
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RestoreDBInstanceFromDBSnapshotCommandInput,
  type DBInstance,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { RollbackBaseline, RollbackOrderView, RollbackPlan } from '@flightdeck/contracts';
import type { JobContext } from './job-context.js';
import { Conflict, NotFound } from '../../platform/errors/errors.js';
import { restoredInstanceIdentifier } from '@flightdeck/core';
import { StoppingError } from '../../platform/upstreams/shutdown-signal.js';

export const rdsSteps = ['read original', 'restore', 'wait until available', 'verify'];

async function describe(rds: RDSClient, identifier: string): Promise<DBInstance | null> {
  try {
    const found = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    return found.DBInstances?.[0] ?? null;
  } catch (error) {
    if ((error as { name?: string }).name === 'DBInstanceNotFoundFault') return null;
    throw error;
  }
}

export async function previewRdsRollback(
  rds: RDSClient,
  deployId: string,
  baseline: RollbackBaseline,
  instance: string,
  order: RollbackOrderView,
  jobIdForName: string,
): Promise<RollbackPlan> {
  const snapshot = baseline.snapshot;
  if (!snapshot || snapshot.instance !== instance)
    throw new NotFound(
      'NoSnapshotInBaseline',
      snapshot
        ? `The deploy's snapshot is of ${snapshot.instance}, not ${instance}.`
        : "The deploy's baseline has no pre-migration snapshot to restore.",
      { inTheWay: { snapshot } },
    );
  const [original, snapshotTaken] = await Promise.all([
    describe(rds, instance),
    snapshotTime(rds, snapshot.identifier),
  ]);
  if (!original) throw new NotFound('InstanceNotFound', `RDS has no instance ${instance}.`);
  const parameters = {
    // `<instance>-restored-<job>`: the name the IAM policy allows (flightdeck iam-policy).
    DBInstanceIdentifier: restoredInstanceIdentifier(instance, jobIdForName),
    DBSnapshotIdentifier: snapshot.identifier,
    DBInstanceClass: original.DBInstanceClass,
    DBSubnetGroupName: original.DBSubnetGroup?.DBSubnetGroupName,
    VpcSecurityGroupIds: (original.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId!),
    DBParameterGroupName: original.DBParameterGroups?.[0]?.DBParameterGroupName,
    MultiAZ: original.MultiAZ ?? false,
    PubliclyAccessible: original.PubliclyAccessible ?? false,
  };
  return {
    deployId,
    kind: 'rds',
    target: instance,
    confirmationText: instance,
    current: `${instance} (${original.DBInstanceStatus})`,
    desired: `${parameters.DBInstanceIdentifier} restored from ${snapshot.identifier}`,
    calls: [{ service: 'RDS', operation: 'RestoreDBInstanceFromDBSnapshot', parameters }],
    expectedDuration: 'about 15-20 minutes until the new instance is available, then the cut-over',
    revisionId: null,
    order,
    jobId: jobIdForName,
    warnings: [
      snapshotTaken
        ? `Writes made after ${snapshotTaken.toISOString().slice(0, 19).replace('T', ' ')} UTC, the snapshot's time, are not in the restored instance: copy what must be kept from ${instance} before the cut-over.`
        : `Writes made after the snapshot ${snapshot.identifier} was taken are not in the restored instance: copy what must be kept from ${instance} before the cut-over.`,
      `${instance} keeps serving the application: the restore creates ${parameters.DBInstanceIdentifier} beside it, and the rollback ends when the application is pointed at it (the cut-over) and you mark that done.`,
    ],
    blocked: null,
  };
}

/** When the snapshot was taken (null when RDS does not say), for the data a restore loses. */
async function snapshotTime(rds: RDSClient, identifier: string): Promise<Date | null> {
  try {
    const found = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }));
    return found.DBSnapshots?.[0]?.SnapshotCreateTime ?? null;
  } catch {
    return null;
  }
}

export function cutOverSteps(instance: string, restored: string, address: string | null): string[] {
  return [
    `Stop writes: scale the Lambda functions' reserved concurrency to 0 (or put the API in maintenance).`,
    `Point DATABASE_URL of the functions at ${address ?? `${restored}'s endpoint`} (or rename ${instance} to ${instance}-old and ${restored} to ${instance}).`,
    `Roll the aliases back to the baseline versions so the code matches the restored schema.`,
    `Restore concurrency, watch the error rate, keep ${instance} until the team decides what to copy from it.`,
  ];
}

export interface RdsRollbackOptions {
  /** How long to wait between DescribeDBInstances while the restore runs. */
  pollMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** False while the process is shutting down: the job stops following and stays resumable. */
  keepGoing?: () => boolean;
}

/** Runs (or resumes) an RDS rollback job. */
export async function runRdsRollback(
  context: JobContext,
  rds: RDSClient,
  mutations: RDSClient,
  options: RdsRollbackOptions,
) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const keepGoing = options.keepGoing ?? (() => true);
  const params = context.job.plan.calls[0]!.parameters as {
    DBInstanceIdentifier: string;
    DBSnapshotIdentifier: string;
  };
  const restored = params.DBInstanceIdentifier;
  const original = context.job.target;

  if (context.step('read original').state !== 'done') {
    // Say only what was carried: a setting the original has none of is not sent.
    const sent = context.job.plan.calls[0]!.parameters as Record<string, unknown>;
    const carried = [
      ['DBInstanceClass', 'class'],
      ['DBSubnetGroupName', 'subnet group'],
      ['VpcSecurityGroupIds', 'security groups'],
      ['DBParameterGroupName', 'parameter group'],
    ]
      .filter(([key]) => {
        const value = sent[key!];
        return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
      })
      .map(([, label]) => label);
    await context.mark(
      'read original',
      'done',
      carried.length > 0
        ? `${carried.join(', ')} of ${original} carried to ${restored}`
        : `nothing to carry from ${original}: ${restored} takes RDS's defaults`,
    );
  }

  if (context.step('restore').state !== 'done') {
    // Before sending: does the instance exist already (a restart or a lost answer after sending)?
    const existing = await describe(rds, restored);
    if (existing) {
      await context.mark(
        'restore',
        'done',
        `${restored} exists already (${existing.DBInstanceStatus}): not sent again`,
      );
    } else {
      await context.mark(
        'restore',
        'running',
        `RestoreDBInstanceFromDBSnapshot ${params.DBSnapshotIdentifier} -> ${restored}`,
      );
      try {
        await mutations.send(
          new RestoreDBInstanceFromDBSnapshotCommand(
            context.job.plan.calls[0]!.parameters as unknown as RestoreDBInstanceFromDBSnapshotCommandInput,
          ),
        );
        await context.mark(
          'restore',
          'done',
          `restore of ${params.DBSnapshotIdentifier} into ${restored} started`,
        );
      } catch (error) {
        // Flightdeck is stopping: the job stays running, and the next start asks RDS where it is.
        if (error instanceof StoppingError) throw error;
        const name = (error as { name?: string }).name;
        const after = await describe(rds, restored).catch(() => null);
        if (after || name === 'DBInstanceAlreadyExistsFault') {
          await context.mark(
            'restore',
            'done',
            `${restored} exists (${after?.DBInstanceStatus ?? 'unknown'}): the restore was accepted`,
          );
        } else {
          await context.mark('restore', 'failed', (error as Error).message);
          return context.fail(
            `RestoreDBInstanceFromDBSnapshot failed: ${(error as Error).message}. RDS has no ${restored}.`,
          );
        }
      }
    }
  }

  await context.mark('wait until available', 'running', null);
  let instance: DBInstance | null = null;
  while (keepGoing()) {
    try {
      instance = await describe(rds, restored);
    } catch {
      instance = null; // a failed describe is retried on the next turn
    }
    const status = instance?.DBInstanceStatus ?? 'unknown';
    if (context.step('wait until available').detail !== status)
      await context.mark('wait until available', 'running', status);
    if (status === 'available') break;
    await sleep(options.pollMs);
  }
  if (!keepGoing()) return; // stopped: the job stays running and resumes on the next start
  await context.mark('wait until available', 'done', 'available');
  await context.mark('verify', 'running', null);
  const address = instance?.Endpoint?.Address ?? null;
  await context.update((job) => {
    job.verification = [
      { check: 'instance', ok: true, detail: `${restored} is available at ${address ?? '(no endpoint)'}` },
    ];
    job.cutOver = cutOverSteps(original, restored, address);
  });
  await context.mark('verify', 'done', 'available');
  // The application still uses the old instance: the rollback is done when ops cut over to this one.
  return context.awaitCutOver();
}
