import type {
  ChecklistEvidence,
  Deploy,
  DeployBaseline,
  DeployEvent,
  DeployPhase,
  SignOff,
  WatchMetrics,
} from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import type { DeployTables } from './deploy-tables.js';

type Db = Kysely<DeployTables>;

/** A second active deploy for an environment: the store's unique index refused it. */
export class ActiveDeployExists extends Error {
  constructor(readonly active: Deploy | null) {
    super(
      active
        ? `Deploy ${active.id} is already active in ${active.environment} (phase ${active.phase}, prepared by ${active.preparedBy}); finish or roll it back first`
        : 'Another deploy is already active in this environment',
    );
  }
}

/** A second sign-off of an item that already has a standing one. */
export class SignOffExists extends Error {}

const uniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';
const iso = (value: Date | string) => new Date(value).toISOString();
const parseJson = <T>(value: unknown): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);

type DeployRow = {
  id: string;
  environment: string;
  phase: string;
  prepared_by: string;
  prepared_at: Date | string;
  baseline: unknown;
  pending_at_prepare: unknown;
  baseline_metrics: unknown;
  migrated_at: Date | string | null;
};

function toDeploy(row: DeployRow): Deploy {
  return {
    id: row.id,
    environment: row.environment,
    phase: row.phase as DeployPhase,
    preparedBy: row.prepared_by,
    preparedAt: iso(row.prepared_at),
    baseline: parseJson<DeployBaseline>(row.baseline),
    pendingAtPrepare: parseJson<string[]>(row.pending_at_prepare),
    baselineMetrics: row.baseline_metrics === null ? null : parseJson<WatchMetrics>(row.baseline_metrics),
    migratedAt: row.migrated_at === null ? null : iso(row.migrated_at),
  };
}

const finishedPhases: DeployPhase[] = ['done', 'rolled-back'];

export async function getDeploy(db: Db, id: string): Promise<Deploy | null> {
  const row = await db.selectFrom('deploys').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDeploy(row) : null;
}

export async function activeDeploy(db: Db, environment: string): Promise<Deploy | null> {
  const row = await db
    .selectFrom('deploys')
    .selectAll()
    .where('environment', '=', environment)
    .where('phase', 'not in', finishedPhases)
    .executeTakeFirst();
  return row ? toDeploy(row) : null;
}

export async function listDeploys(db: Db, limit = 50): Promise<Deploy[]> {
  const rows = await db
    .selectFrom('deploys')
    .selectAll()
    .orderBy('prepared_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toDeploy);
}

/** Records a new deploy and its "prepared" event in one transaction; one active per environment. */
export async function createDeploy(db: Db, deploy: Omit<Deploy, 'migratedAt'>): Promise<Deploy> {
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('deploys')
        .values({
          id: deploy.id,
          environment: deploy.environment,
          phase: deploy.phase,
          prepared_by: deploy.preparedBy,
          prepared_at: deploy.preparedAt,
          baseline: JSON.stringify(deploy.baseline),
          pending_at_prepare: JSON.stringify(deploy.pendingAtPrepare),
          baseline_metrics: deploy.baselineMetrics === null ? null : JSON.stringify(deploy.baselineMetrics),
          migrated_at: null,
        })
        .execute();
      await appendDeployEvent(tx, deploy.id, {
        kind: 'prepared',
        message: `Deploy prepared by ${deploy.preparedBy}`,
        at: deploy.preparedAt,
        details: { baseline: deploy.baseline },
      });
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new ActiveDeployExists(await activeDeploy(db, deploy.environment));
    throw error;
  }
  return { ...deploy, migratedAt: null };
}

/** Moves a deploy to a phase and puts the move on its timeline. */
export async function setDeployPhase(
  db: Db,
  id: string,
  phase: DeployPhase,
  event: { message: string; at: string; details?: Record<string, unknown>; migratedAt?: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('deploys')
      .set({ phase, ...(event.migratedAt ? { migrated_at: event.migratedAt } : {}) })
      .where('id', '=', id)
      .execute();
    await appendDeployEvent(tx, id, {
      kind: `phase-${phase}`,
      message: event.message,
      at: event.at,
      details: event.details ?? {},
    });
  });
}

/** Appends one event to a deploy's timeline (the rollback runner calls this too). */
export async function appendDeployEvent(db: Db, deployId: string, event: DeployEvent): Promise<void> {
  await db
    .insertInto('deploy_events')
    .values({
      deploy_id: deployId,
      kind: event.kind,
      message: event.message,
      at: event.at,
      details: JSON.stringify(event.details),
    })
    .execute();
}

export async function deployTimeline(db: Db, deployId: string): Promise<DeployEvent[]> {
  const rows = await db
    .selectFrom('deploy_events')
    .selectAll()
    .where('deploy_id', '=', deployId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    message: r.message,
    at: iso(r.at),
    details: parseJson(r.details),
  }));
}

/**
 * Stores an automatic item's evaluation. A result that changed is a new row (its history); the
 * same result again only moves the latest row's time, so the table grows with changes, not polls.
 */
export async function recordEvidence(
  db: Db,
  deployId: string,
  itemId: string,
  evidence: ChecklistEvidence,
): Promise<'changed' | 'same'> {
  const latest = await db
    .selectFrom('deploy_evidence')
    .selectAll()
    .where('deploy_id', '=', deployId)
    .where('item_id', '=', itemId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (
    latest &&
    latest.value === evidence.value &&
    latest.passed === evidence.passed &&
    latest.question === evidence.question
  ) {
    await db
      .updateTable('deploy_evidence')
      .set({ evaluated_at: evidence.evaluatedAt })
      .where('id', '=', latest.id)
      .execute();
    return 'same';
  }
  await db
    .insertInto('deploy_evidence')
    .values({
      deploy_id: deployId,
      item_id: itemId,
      question: evidence.question,
      value: evidence.value,
      passed: evidence.passed,
      evaluated_at: evidence.evaluatedAt,
    })
    .execute();
  return 'changed';
}

export async function latestEvidence(db: Db, deployId: string): Promise<Map<string, ChecklistEvidence>> {
  const rows = await db
    .selectFrom('deploy_evidence')
    .selectAll()
    .where('deploy_id', '=', deployId)
    .orderBy('id')
    .execute();
  const latest = new Map<string, ChecklistEvidence>();
  for (const r of rows)
    latest.set(r.item_id, {
      question: r.question,
      value: r.value,
      passed: r.passed,
      evaluatedAt: iso(r.evaluated_at),
    });
  return latest;
}

export async function signOffItem(
  db: Db,
  deployId: string,
  itemId: string,
  signOff: { by: string; at: string; comment: string },
): Promise<void> {
  try {
    await db
      .insertInto('deploy_sign_offs')
      .values({
        deploy_id: deployId,
        item_id: itemId,
        signed_by: signOff.by,
        signed_at: signOff.at,
        comment: signOff.comment,
      })
      .execute();
  } catch (error) {
    if (uniqueViolation(error))
      throw new SignOffExists(`Item ${itemId} is already signed off; revoke it first`);
    throw error;
  }
}

/** Revokes the standing sign-off of an item; false when there is none to revoke. */
export async function revokeSignOff(
  db: Db,
  deployId: string,
  itemId: string,
  revoke: { by: string; at: string; reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('deploy_sign_offs')
    .set({ revoked_by: revoke.by, revoked_at: revoke.at, revoke_reason: revoke.reason })
    .where('deploy_id', '=', deployId)
    .where('item_id', '=', itemId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Each item's latest sign-off, standing or revoked. */
export async function latestSignOffs(db: Db, deployId: string): Promise<Map<string, SignOff>> {
  const rows = await db
    .selectFrom('deploy_sign_offs')
    .selectAll()
    .where('deploy_id', '=', deployId)
    .orderBy('id')
    .execute();
  const latest = new Map<string, SignOff>();
  for (const r of rows)
    latest.set(r.item_id, {
      by: r.signed_by,
      at: iso(r.signed_at),
      comment: r.comment,
      revokedBy: r.revoked_by,
      revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
      revokeReason: r.revoke_reason,
    });
  return latest;
}
