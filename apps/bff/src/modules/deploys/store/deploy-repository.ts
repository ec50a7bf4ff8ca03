// Every read and write of the deploy tables (0002, 0005, 0009): deploys, their timeline, evidence and
// sign-offs. Over 400 lines because each query is spelled out once here and nowhere else; the
// service never writes SQL.
import type {
  ChecklistEvidence,
  Deploy,
  EvidenceSourceError,
  DeployBaseline,
  DeployEnding,
  DeployEvent,
  DeployPhase,
  Release,
  SignOff,
  WatchMetrics,
} from '@flightdeck/contracts';
import { endedPhases } from '@flightdeck/core';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DeployTables } from './deploy-tables.js';

type Db = Kysely<DeployTables>;

/** A second active deploy for an environment: the store's unique index refused it. */
export class ActiveDeployExists extends Error {
  constructor(readonly active: Deploy | null) {
    super(
      active
        ? `Deploy ${active.id} is already active in ${active.environment} (phase ${active.phase}, prepared by ${active.preparedBy}); finish, cancel or roll it back first`
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
  release: unknown;
  checklist: unknown;
  target_revision: string | null;
  migration_started_at: Date | string | null;
  released_at: Date | string | null;
  watch_started_at: Date | string | null;
  ending: unknown;
};

const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));
const jsonOrNull = <T>(value: unknown): T | null => (value === null ? null : parseJson<T>(value));
/** A timeline row as the API shows it. */
const eventOf = (
  r: Pick<Selectable<DeployTables['deploy_events']>, 'kind' | 'message' | 'at' | 'details'>,
): DeployEvent => ({
  kind: r.kind,
  message: r.message,
  at: iso(r.at),
  details: parseJson(r.details),
});

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
    migratedAt: isoOrNull(row.migrated_at),
    release: jsonOrNull<Release>(row.release),
    // Deploys stored before releases had targets went to the code's head at prepare.
    targetRevision: row.target_revision ?? parseJson<DeployBaseline>(row.baseline).codeHead,
    migrationStartedAt: isoOrNull(row.migration_started_at),
    releasedAt: isoOrNull(row.released_at),
    watchStartedAt: isoOrNull(row.watch_started_at) ?? isoOrNull(row.migrated_at),
    ending: jsonOrNull<DeployEnding>(row.ending),
  };
}

const finishedPhases: readonly DeployPhase[] = endedPhases;

/** The checklist a deploy was prepared with; null for deploys stored before checklists were kept. */
export async function deployChecklist(db: Db, id: string): Promise<unknown> {
  const row = await db.selectFrom('deploys').select('checklist').where('id', '=', id).executeTakeFirst();
  return row?.checklist === null || row?.checklist === undefined ? null : parseJson(row.checklist);
}

export async function getDeploy(db: Db, id: string): Promise<Deploy | null> {
  const row = await db.selectFrom('deploys').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDeploy(row) : null;
}

export async function activeDeploy(db: Db, environment: string): Promise<Deploy | null> {
  const row = await db
    .selectFrom('deploys')
    .selectAll()
    .where('environment', '=', environment)
    .where('phase', 'not in', [...finishedPhases])
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

type NewDeploy = Omit<
  Deploy,
  'migratedAt' | 'migrationStartedAt' | 'releasedAt' | 'watchStartedAt' | 'ending'
>;

/**
 * Records a new deploy and its "prepared" event in one transaction; one active per environment.
 * A deploy it supersedes (one in its watch) is closed in the same transaction, on both timelines.
 */
export async function createDeploy(
  db: Db,
  deploy: NewDeploy,
  checklist: unknown,
  supersedes: Deploy | null,
  /** Runs in the same transaction once the deploy is recorded (its notifications); `closed` is the deploy it superseded. */
  within?: (tx: Transaction<DeployTables>, closed: Deploy | null) => Promise<void>,
  /** Writes the change's audit row in the same transaction (platform/audit). */
  audit?: (tx: Transaction<DeployTables>) => Promise<void>,
): Promise<Deploy> {
  try {
    await db.transaction().execute(async (tx) => {
      let closed: Deploy | null = null;
      if (supersedes) {
        const ending: DeployEnding = {
          kind: 'superseded',
          by: deploy.preparedBy,
          fromPhase: supersedes.phase,
          at: deploy.preparedAt,
          message: `superseded by ${deploy.id}`,
        };
        const updated = await tx
          .updateTable('deploys')
          .set({ phase: 'done', ending: JSON.stringify(ending) })
          .where('id', '=', supersedes.id)
          .where('phase', '=', 'monitoring')
          .executeTakeFirst();
        // It left its watch meanwhile: the insert below meets the unique index and says who is active.
        if (Number(updated.numUpdatedRows) === 1) {
          closed = { ...supersedes, phase: 'done', ending };
          await appendDeployEvent(tx, supersedes.id, {
            kind: 'phase-done',
            message: `Watch closed: superseded by ${deploy.id} (prepared by ${deploy.preparedBy})`,
            at: deploy.preparedAt,
            details: { from: 'monitoring', to: 'done', supersededBy: deploy.id, by: deploy.preparedBy },
          });
        }
      }
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
          release: deploy.release === null ? null : JSON.stringify(deploy.release),
          checklist: JSON.stringify(checklist),
          target_revision: deploy.targetRevision,
        })
        .execute();
      await appendDeployEvent(tx, deploy.id, {
        kind: 'prepared',
        message: `Deploy prepared by ${deploy.preparedBy}${deploy.release?.name ? ` for ${deploy.release.name}` : ''}${supersedes ? `; supersedes ${supersedes.id}, whose watch is closed` : ''}`,
        at: deploy.preparedAt,
        details: {
          baseline: deploy.baseline,
          release: deploy.release,
          ...(supersedes ? { supersedes: supersedes.id } : {}),
        },
      });
      await within?.(tx, closed);
      await audit?.(tx);
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new ActiveDeployExists(await activeDeploy(db, deploy.environment));
    throw error;
  }
  return {
    ...deploy,
    migratedAt: null,
    migrationStartedAt: null,
    releasedAt: null,
    watchStartedAt: null,
    ending: null,
  };
}

/** What a phase change sets besides the phase. */
export interface PhaseChange {
  migratedAt?: string;
  migrationStartedAt?: string;
  releasedAt?: string;
  watchStartedAt?: string;
  ending?: DeployEnding;
}

/**
 * Moves a deploy from `from` to `phase` (which may be the same, for a change within a phase) and
 * puts the move on its timeline, in one transaction; false, with nothing written, when the deploy
 * was no longer in `from`: someone else moved it first.
 */
export async function transitionDeploy(
  db: Db,
  id: string,
  from: DeployPhase,
  phase: DeployPhase,
  change: PhaseChange,
  event: { kind?: string; message: string; at: string; details?: Record<string, unknown> },
  /** Runs in the same transaction when the move happened (its notifications). */
  within?: (tx: Transaction<DeployTables>) => Promise<void>,
  /** Writes the change's audit row in the same transaction (platform/audit). */
  audit?: (tx: Transaction<DeployTables>) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('deploys')
      .set({
        phase,
        ...(change.migratedAt ? { migrated_at: change.migratedAt } : {}),
        ...(change.migrationStartedAt ? { migration_started_at: change.migrationStartedAt } : {}),
        ...(change.releasedAt ? { released_at: change.releasedAt } : {}),
        ...(change.watchStartedAt ? { watch_started_at: change.watchStartedAt } : {}),
        ...(change.ending ? { ending: JSON.stringify(change.ending) } : {}),
      })
      .where('id', '=', id)
      .where('phase', '=', from)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await appendDeployEvent(tx, id, {
      kind: event.kind ?? `phase-${phase}`,
      message: event.message,
      at: event.at,
      details: { from, to: phase, ...(event.details ?? {}) },
    });
    await within?.(tx);
    await audit?.(tx);
    return true;
  });
}

/** Appends one event to a deploy's timeline (the rollback runner calls this too). */
export async function appendDeployEvent(
  db: Db | Transaction<DeployTables>,
  deployId: string,
  event: DeployEvent,
): Promise<void> {
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

/**
 * Appends an event detected from live data under its deterministic key: false, with nothing
 * written, when the deploy already has an event with that key (another replica, an earlier poll
 * or a run before a restart wrote it).
 */
export async function recordOnce(
  db: Db | Transaction<DeployTables>,
  deployId: string,
  key: string,
  event: DeployEvent,
): Promise<boolean> {
  const inserted = await db
    .insertInto('deploy_events')
    .values({
      deploy_id: deployId,
      kind: event.kind,
      message: event.message,
      at: event.at,
      details: JSON.stringify(event.details),
      key,
    })
    .onConflict((c) => c.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A deploy's events of these kinds, oldest first. */
export async function eventsOfKinds(db: Db, deployId: string, kinds: string[]): Promise<DeployEvent[]> {
  if (kinds.length === 0) return [];
  const rows = await db
    .selectFrom('deploy_events')
    .selectAll()
    .where('deploy_id', '=', deployId)
    .where('kind', 'in', kinds)
    .orderBy('id')
    .execute();
  return rows.map(eventOf);
}

/** Every deploy's events of these kinds between two times (the charts' markers), oldest first. */
export async function eventsBetween(
  db: Db,
  from: Date,
  to: Date,
  kinds: string[],
): Promise<Array<DeployEvent & { id: number; deployId: string }>> {
  const rows = await db
    .selectFrom('deploy_events')
    .selectAll()
    .where('at', '>=', from.toISOString())
    .where('at', '<=', to.toISOString())
    .where('kind', 'in', kinds)
    .orderBy('at')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, deployId: r.deploy_id, ...eventOf(r) }));
}

/** The deploy whose record is kept now: the active one, or the newest if it ended after `since`. */
export async function recordingDeploy(db: Db, environment: string, since: string): Promise<Deploy | null> {
  const active = await activeDeploy(db, environment);
  if (active) return active;
  const row = await db
    .selectFrom('deploys')
    .selectAll()
    .where('environment', '=', environment)
    .orderBy('prepared_at', 'desc')
    .executeTakeFirst();
  const newest = row ? toDeploy(row) : null;
  return newest?.ending && Date.parse(newest.ending.at) >= Date.parse(since) ? newest : null;
}

export async function deployTimeline(db: Db, deployId: string): Promise<DeployEvent[]> {
  const rows = await db
    .selectFrom('deploy_events')
    .selectAll()
    .where('deploy_id', '=', deployId)
    .orderBy('id')
    .execute();
  return rows.map(eventOf);
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
  /** Runs in the same transaction when the result changed, with the one it replaces (item-failed). */
  within?: (tx: Db, previous: ChecklistEvidence | null) => Promise<void>,
): Promise<'changed' | 'same'> {
  const sourceError = evidence.sourceError ?? null;
  const record = async (tx: Db): Promise<'changed' | 'same'> => {
    const latest = await tx
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
      latest.waiting === (evidence.waiting ?? false) &&
      latest.question === evidence.question &&
      sameSourceError(jsonOrNull<EvidenceSourceError>(latest.source_error), sourceError)
    ) {
      await tx
        .updateTable('deploy_evidence')
        .set({ evaluated_at: evidence.evaluatedAt, data_fetched_at: evidence.dataFetchedAt ?? null })
        .where('id', '=', latest.id)
        .execute();
      return 'same';
    }
    await tx
      .insertInto('deploy_evidence')
      .values({
        deploy_id: deployId,
        item_id: itemId,
        question: evidence.question,
        value: evidence.value,
        passed: evidence.passed,
        waiting: evidence.waiting ?? false,
        evaluated_at: evidence.evaluatedAt,
        data_fetched_at: evidence.dataFetchedAt ?? null,
        source_error: sourceError === null ? null : JSON.stringify(sourceError),
      })
      .execute();
    await within?.(
      tx,
      latest
        ? {
            question: latest.question,
            value: latest.value,
            passed: latest.passed,
            ...(latest.waiting ? { waiting: true } : {}),
            evaluatedAt: iso(latest.evaluated_at),
          }
        : null,
    );
    return 'changed';
  };
  return within ? db.transaction().execute(record) : record(db);
}

/**
 * The current gate's verdict as last told (GO or NO-GO; a deploy not yet told is NO-GO). Stores
 * `verdict` and runs `within` in the same transaction only when it differs from the stored one,
 * so a flip is told once even when two evaluations race.
 */
export async function recordVerdict(
  db: Db,
  deployId: string,
  verdict: 'GO' | 'NO-GO',
  within: (tx: Db, previous: 'GO' | 'NO-GO') => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('deploys')
      .set({ told_verdict: verdict })
      .where('id', '=', deployId)
      .where((eb) => eb(eb.fn.coalesce('told_verdict', eb.val('NO-GO')), '<>', verdict))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await within(tx, verdict === 'GO' ? 'NO-GO' : 'GO');
    return true;
  });
}

const sameSourceError = (a: EvidenceSourceError | null, b: EvidenceSourceError | null) =>
  a === null || b === null ? a === b : a.source === b.source && a.code === b.code && a.message === b.message;

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
      ...(r.waiting ? { waiting: true } : {}),
      evaluatedAt: iso(r.evaluated_at),
      // Null on evidence stored before 0009: its age is its evaluation's.
      dataFetchedAt: isoOrNull(r.data_fetched_at),
      sourceError: jsonOrNull<EvidenceSourceError>(r.source_error),
    });
  return latest;
}

/** The running count of schema errors since a deploy's migration (0009), as the log reads left it. */
export interface SchemaErrorTally {
  count: number;
  /** From when errors count: the migration (or the release of one without migrations). */
  since: string;
  /** Up to when (log time, the deploy's clock) the reads are counted. */
  countedTo: string;
  /** Events counted in the last overlap before `countedTo`, by id: a late line is not counted twice. */
  recent: Array<{ id: string; t: number }>;
}

export async function schemaErrorTally(db: Db, deployId: string): Promise<SchemaErrorTally | null> {
  const row = await db
    .selectFrom('deploys')
    .select([
      'schema_errors_count',
      'schema_errors_since',
      'schema_errors_counted_to',
      'schema_errors_recent',
    ])
    .where('id', '=', deployId)
    .executeTakeFirst();
  if (!row || row.schema_errors_count === null || !row.schema_errors_since || !row.schema_errors_counted_to)
    return null;
  return {
    count: row.schema_errors_count,
    since: iso(row.schema_errors_since),
    countedTo: iso(row.schema_errors_counted_to),
    recent: jsonOrNull<SchemaErrorTally['recent']>(row.schema_errors_recent) ?? [],
  };
}

export async function saveSchemaErrorTally(db: Db, deployId: string, tally: SchemaErrorTally): Promise<void> {
  await db
    .updateTable('deploys')
    .set({
      schema_errors_count: tally.count,
      schema_errors_since: tally.since,
      schema_errors_counted_to: tally.countedTo,
      schema_errors_recent: JSON.stringify(tally.recent),
    })
    .where('id', '=', deployId)
    .execute();
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
      throw new SignOffExists(
        `${signOff.by} already signed off item ${itemId}: one lead counts once; another lead signs, or revoke it first`,
      );
    throw error;
  }
}

/** Revokes every standing sign-off of an item; false when there is none to revoke. */
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

/** Each item's sign-offs in the order they were given, standing and revoked. */
export async function signOffsByItem(db: Db, deployId: string): Promise<Map<string, SignOff[]>> {
  const rows = await db
    .selectFrom('deploy_sign_offs')
    .selectAll()
    .where('deploy_id', '=', deployId)
    .orderBy('id')
    .execute();
  const byItem = new Map<string, SignOff[]>();
  for (const r of rows) {
    const list = byItem.get(r.item_id) ?? [];
    list.push({
      by: r.signed_by,
      at: iso(r.signed_at),
      comment: r.comment,
      revokedBy: r.revoked_by,
      revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
      revokeReason: r.revoke_reason,
    });
    byItem.set(r.item_id, list);
  }
  return byItem;
}
