// A deploy's whole life in one service: prepare, the transitions of its phases, sign-offs, the
// leader's evaluation of its checklist, how it ends, and its report. It is long (over 400 lines)
// because every path writes the same timeline under the same phase rules (deploy-lifecycle in
// packages/core); the pure parts live in core, and the evaluation (evaluate … closeWhenOver) is
// the piece to move out first when it grows again. It grew with the deploy.* notifications, written
// inside each change's own transaction (`tell`); their summaries and data are the next to move out,
// into a builder beside it, if it grows more.
import type {
  AppliedRevision,
  ChecklistEvidence,
  ChecklistItem,
  Deploy,
  DeployDetail,
  DeployEnding,
  DeployList,
  DeployPhase,
  DeployTransition,
  MigrationHistoryData,
  NotificationEventType,
  MigrationLockMeasurement,
  OverviewSources,
  PreparePreview,
  Release,
  ReleaseRequest,
  SourceError,
} from '@flightdeck/contracts';
import {
  allowedTransitions,
  applyTransition,
  checklistItem,
  compareCheckpoint,
  dueCheckpoints,
  evaluateRule,
  gateVerdicts,
  isEnded,
  isLiveRule,
  itemJudgement,
  judgeAlarms,
  judgeHttpCheck,
  judgeMetricThreshold,
  judgeLockBlockers,
  judgeMigrationLint,
  judgeSqlCheck,
  liveFacts,
  metricsAsOf,
  observedTransition,
  opensWhen,
  preMigrationSnapshotIdentifier,
  renderDeployReport,
  sourceStandings,
  windowMetrics,
  type ChecklistRule,
  type ChecklistTemplateItem,
  type HealthReading,
  type LintReading,
  type LiveFacts,
  type LockReading,
  type RuleResult,
  type RuleSettings,
  type SchemaErrorCountSince,
} from '@flightdeck/core';
import type { Kysely } from 'kysely';
import type { FlightdeckConfig } from '../../config.js';
import type { DeployTables } from './store/deploy-tables.js';
import * as repo from './store/deploy-repository.js';
import type { ChecklistProbes } from './checklist-probes.js';
import type { SnapshotTaker } from './pre-migration-snapshot.js';
import { countSchemaErrorsSince, type SchemaErrorCounterDeps } from './schema-error-count.js';
import { BadInput, Conflict, Forbidden, NotFound, Unavailable } from '../../platform/errors/errors.js';
import type { ChangeAudit } from '../../platform/audit/audit-trail.js';
import { personOf } from '../../platform/audit/change-words.js';

/** A deploy.* event for the team's webhooks, written in the store transaction of its change. */
export interface DeployNotification {
  type: Extract<NotificationEventType, `deploy.${string}`>;
  deployId: string;
  summary: string;
  /** The deploy's page. */
  path: string;
  data: Record<string, unknown>;
}

export interface DeployServiceDeps {
  db: Kysely<DeployTables>;
  environment: string;
  settings: FlightdeckConfig['deploys'];
  /** The checklist new deploys are prepared with (deploys.checklist, or the mode's default). */
  template: ChecklistTemplateItem[];
  /** The checklist of deploys stored before each kept its own. */
  legacyTemplate: ChecklistTemplateItem[];
  dbInstance: string;
  region: string;
  sources(): OverviewSources;
  history(): MigrationHistoryData | null;
  snapshots: SnapshotTaker;
  readHealth(url: string): Promise<HealthReading>;
  probes: ChecklistProbes;
  /** The migration-lint reading of a release: the revisions after `from` up to `to`. */
  lintRelease(from: string | null, to: string | null): Promise<LintReading>;
  /** The latest lock view, for the no-lock-blockers rule. */
  locks(): LockReading;
  /** What a deploy's migration held, measured by the lock poll; null when nothing was measured. */
  measuredLocks(deployId: string): Promise<MigrationLockMeasurement | null>;
  /** Scenario time in sandbox mode, wall time otherwise: evidence ages and checkpoints follow it. */
  now(): string;
  /** The clock the sources stamp their fetches with (the wall clock), when it is not `now`'s. */
  sourcesNow?(): string;
  /** Where the migration history source stands (the schema drift item reads it). */
  historyState?(): { fetchedAt: string | null; error: SourceError | null } | null;
  /** The running count of schema errors since the migration: its log reads, at most once per interval. */
  schemaErrors?: SchemaErrorCounterDeps & { intervalMs: number };
  /** Writes a notification inside the change's own store transaction (the notifications outbox). */
  notify?(trx: Kysely<DeployTables>, event: DeployNotification): Promise<void>;
}

const watchItemId = (hours: number) => `watch-${hours}h`;
const watchHours = (id: string) => Number(id.slice('watch-'.length, -1));
const isWatchItem = (id: string) => /^watch-[\d.]+h$/.test(id);
/** Who moves a deploy on when the live data does. */
const flightdeck = 'flightdeck';

/** Whether the release applies migrations: its target is not where the database stood at prepare. */
const hasMigrations = (deploy: Deploy) =>
  deploy.targetRevision !== null && deploy.targetRevision !== deploy.baseline.databaseRevision;

/** The furthest phase an ended deploy got to, for judging which of its items had begun. */
const reachedPhase = (deploy: Deploy): DeployPhase =>
  deploy.phase === 'cancelled' || deploy.phase === 'rolled-back'
    ? (deploy.ending?.fromPhase ?? (deploy.watchStartedAt ? 'monitoring' : 'ready'))
    : deploy.phase;

/** Deploys: prepare with a release, a baseline and a snapshot; their life; the checklist; the report. */
export class DeployService {
  /** The last lint reading per range: the versions folder rarely changes within a deploy. */
  private lintCache = new Map<string, { at: number; reading: LintReading }>();
  /** When the schema-error count last read the logs, per deploy, and that read's error. */
  private lastCount = new Map<string, { at: number; error: SourceError | null }>();

  constructor(private readonly deps: DeployServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** Tells the webhooks, in the transaction `trx` of the change it is about. */
  private async tell(
    trx: Kysely<DeployTables>,
    type: DeployNotification['type'],
    deployId: string,
    summary: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.notify?.(trx, {
      type,
      deployId,
      summary,
      path: `/deploys/${encodeURIComponent(deployId)}`,
      data,
    });
  }

  /** deploy.ended: how a deploy ended (done, cancelled, rolled back), told with the change. */
  private tellEnded(trx: Kysely<DeployTables>, deployId: string, ending: DeployEnding, phase: DeployPhase) {
    const how = phase === 'rolled-back' ? 'rolled back' : phase;
    return this.tell(trx, 'deploy.ended', deployId, `Deploy ${deployId} ${how}: ${ending.message}`, {
      phase,
      ending,
    });
  }

  /** The checklist a new deploy is prepared with: the configured items plus one per watch checkpoint. */
  checklistForPrepare(): ChecklistTemplateItem[] {
    return [
      ...this.deps.template,
      ...this.deps.settings.watchCheckpointHours.map((h): ChecklistTemplateItem => ({
        id: watchItemId(h),
        phase: 'monitoring',
        title: `Watch checkpoint T+${h} h: error rate, p99, invocations and schema errors against the baseline`,
        rule: { type: 'error-rate-zero' },
      })),
    ];
  }

  /** The checklist a deploy was prepared with (the story's for deploys stored before it was kept), with freshness windows. */
  private async checklistOf(deploy: Deploy): Promise<ChecklistTemplateItem[]> {
    const stored = (await repo.deployChecklist(this.db, deploy.id)) as ChecklistTemplateItem[] | null;
    const items = stored ?? [
      ...this.deps.legacyTemplate,
      ...this.deps.settings.watchCheckpointHours.map((h): ChecklistTemplateItem => ({
        id: watchItemId(h),
        phase: 'monitoring',
        title: `Watch checkpoint T+${h} h: error rate, p99, invocations and schema errors against the baseline`,
        rule: { type: 'error-rate-zero' },
      })),
    ];
    const freshness = this.deps.settings.freshnessSeconds;
    // A checkpoint is measured once: its evidence never goes stale.
    return items.map((t) =>
      isWatchItem(t.id)
        ? { ...t, freshnessSeconds: Number.MAX_SAFE_INTEGER }
        : t.rule
          ? { freshnessSeconds: freshness, ...t }
          : t,
    );
  }

  private release(request: ReleaseRequest | undefined, codeHead: string | null): Release {
    return {
      name: request?.name ?? null,
      commit: request?.commit ?? null,
      frontendRef: request?.frontendRef ?? null,
      url: request?.url ?? null,
      notes: request?.notes ?? null,
      targetRevision: request?.targetRevision ?? codeHead,
    };
  }

  /** What prepare would do now: the snapshot it would create, of which instance (shown before the confirm). */
  preparePreview(): PreparePreview {
    const at = this.deps.now();
    return {
      environment: this.deps.environment,
      instance: this.deps.dbInstance,
      snapshotIdentifier: preMigrationSnapshotIdentifier(this.deps.dbInstance, at),
      at,
    };
  }

  /** `audit`: the request's, whose row is written in the deploy's own transaction (none from the evaluator). */
  async prepare(
    preparedBy: string,
    request: ReleaseRequest | undefined,
    audit?: ChangeAudit,
  ): Promise<Deploy> {
    const active = await repo.activeDeploy(this.db, this.deps.environment);
    // A deploy in its watch gives way to the next release; one still on its way does not.
    if (active && active.phase !== 'monitoring') throw activeConflict(active);
    const sources = this.deps.sources();
    const alembic = sources.alembic.data;
    const lambda = sources.lambda.data;
    if (!alembic || !lambda)
      throw new Unavailable(
        'SourcesNotReady',
        'The Alembic and Lambda sources have not answered yet: the baseline cannot be recorded. Try again in a few seconds.',
      );
    const known = new Set([
      ...alembic.heads,
      ...alembic.current,
      ...alembic.pending,
      ...(this.deps.history()?.revisionSummaries.map((r) => r.revision) ?? []),
    ]);
    if (request?.targetRevision !== undefined && !known.has(request.targetRevision))
      throw new BadInput(
        'UnknownRevision',
        `release.targetRevision ${request.targetRevision} is not a revision of the versions folder; its heads: ${alembic.heads.join(', ') || 'none'}.`,
      );
    const release = this.release(request, alembic.heads[0] ?? null);
    const now = this.deps.now();
    const snapshot = {
      // Named as the IAM policy allows (packages/core resource-names: one place for both).
      identifier: preMigrationSnapshotIdentifier(this.deps.dbInstance, now),
      instance: this.deps.dbInstance,
    };
    // What this release applies: the pending revisions up to its target.
    const targetIndex = release.targetRevision ? alembic.pending.indexOf(release.targetRevision) : -1;
    const deploy = {
      // 20260203T062934Z, not 20260203-062934: fourteen digits joined by a dash read as a card
      // number to the secret redactor, which then hid the id in the 409 that names it.
      id: `${this.deps.environment}-${now.slice(0, 19).replace(/[-:]/g, '')}Z`,
      environment: this.deps.environment,
      phase: 'preparing' as const,
      preparedBy,
      preparedAt: now,
      baseline: {
        databaseRevision: alembic.current[0] ?? null,
        codeHead: alembic.heads[0] ?? null,
        aliases: lambda.functions.map((f) => ({
          functionName: f.functionName,
          alias: f.alias,
          version: f.aliasVersion ?? '$LATEST',
        })),
        frontendRef: release.frontendRef ?? this.deps.settings.frontendRef,
        snapshot,
      },
      pendingAtPrepare: targetIndex >= 0 ? alembic.pending.slice(0, targetIndex + 1) : [],
      baselineMetrics: windowMetrics(sources, now, this.deps.settings.errorWindowMinutes, null),
      release,
      targetRevision: release.targetRevision,
    };
    if (deploy.id === active?.id)
      throw new Conflict('DeployActive', `Deploy ${active.id} was prepared this very second; try again.`);
    // The row first, then the change: a crash between them leaves a deploy whose snapshot is missing, visibly.
    let created: Deploy;
    try {
      created = await repo.createDeploy(
        this.db,
        deploy,
        this.checklistForPrepare(),
        active,
        async (tx, closed) => {
          if (closed?.ending) await this.tellEnded(tx, closed.id, closed.ending, 'done');
          await this.tell(
            tx,
            'deploy.prepared',
            deploy.id,
            `Deploy ${deploy.id} prepared by ${preparedBy}${release.name ? ` for ${release.name}` : ''}`,
            {
              preparedBy,
              release,
              baselineRevision: deploy.baseline.databaseRevision,
              targetRevision: deploy.targetRevision,
              pending: deploy.pendingAtPrepare,
            },
          );
        },
        audit &&
          ((tx) =>
            audit.within(tx, {
              summary: `${personOf(preparedBy)} prepared deploy ${deploy.id}${release.name ? ` of ${release.name}` : ''}${active ? `, superseding ${active.id}` : ''}`,
              target: `deploy ${deploy.id}`,
              at: now,
              made: deploy.id,
            })),
      );
    } catch (error) {
      if (error instanceof repo.ActiveDeployExists && error.active) throw activeConflict(error.active);
      throw error;
    }
    try {
      await this.deps.snapshots.create(snapshot.identifier, snapshot.instance);
      await repo.appendDeployEvent(this.db, created.id, {
        kind: 'snapshot-started',
        message: `CreateDBSnapshot ${snapshot.identifier} of ${snapshot.instance}`,
        at: this.deps.now(),
        details: snapshot,
      });
    } catch (error) {
      await repo.appendDeployEvent(this.db, created.id, {
        kind: 'snapshot-failed',
        message: `CreateDBSnapshot ${snapshot.identifier} failed: ${error instanceof Error ? error.message : String(error)}`,
        at: this.deps.now(),
        details: snapshot,
      });
    }
    return created;
  }

  /**
   * Which deploy applied each revision, when the database reached its target and who said so (null:
   * Flightdeck saw it). The migration history shows it beside each applied revision.
   */
  async appliedRevisions(): Promise<AppliedRevision[]> {
    const applied: AppliedRevision[] = [];
    const seen = new Set<string>();
    // Newest first: a revision applied again after a restore is shown with its latest deploy.
    for (const deploy of await repo.listDeploys(this.db, 200)) {
      if (!deploy.migratedAt || deploy.environment !== this.deps.environment) continue;
      const finished = (await repo.deployTimeline(this.db, deploy.id)).find(
        (e) => e.kind === 'migration-finished',
      );
      const reportedBy = typeof finished?.details.by === 'string' ? finished.details.by : null;
      for (const revision of deploy.pendingAtPrepare) {
        if (seen.has(revision)) continue;
        seen.add(revision);
        applied.push({
          revision,
          deployId: deploy.id,
          appliedAt: deploy.migratedAt,
          preparedBy: deploy.preparedBy,
          reportedBy,
          release: deploy.release?.name ?? null,
        });
      }
    }
    return applied;
  }

  /** Deploys newest first, each with its current gate's verdict. */
  /** The deploy not yet ended in this environment, if any. */
  active(): Promise<Deploy | null> {
    return repo.activeDeploy(this.db, this.deps.environment);
  }

  async list(): Promise<DeployList> {
    const deploys = await repo.listDeploys(this.db);
    const verdicts: DeployList['verdicts'] = {};
    for (const deploy of deploys) {
      const items = await this.items(deploy, await this.checklistOf(deploy));
      verdicts[deploy.id] = gateVerdicts(items, deploy.phase, reachedPhase(deploy)).verdict;
    }
    return { deploys, verdicts };
  }

  private async items(deploy: Deploy, template: ChecklistTemplateItem[]): Promise<ChecklistItem[]> {
    const [evidence, signOffs] = await Promise.all([
      repo.latestEvidence(this.db, deploy.id),
      repo.signOffsByItem(this.db, deploy.id),
    ]);
    const now = this.deps.now();
    const reached = reachedPhase(deploy);
    return template.map((t) =>
      checklistItem(
        t,
        evidence.get(t.id) ?? null,
        signOffs.get(t.id) ?? [],
        now,
        itemJudgement(t.phase, deploy.phase, reached),
      ),
    );
  }

  async detail(id: string): Promise<DeployDetail | null> {
    const deploy = await repo.getDeploy(this.db, id);
    if (!deploy) return null;
    const [checklist, timeline] = await Promise.all([
      this.checklistOf(deploy).then((template) => this.items(deploy, template)),
      repo.deployTimeline(this.db, id),
    ]);
    const { verdict, verdicts } = gateVerdicts(checklist, deploy.phase, reachedPhase(deploy));
    return { deploy, checklist, verdict, verdicts, transitions: this.transitionsOf(deploy), timeline };
  }

  private transitionsOf(deploy: Deploy): DeployTransition[] {
    return allowedTransitions({
      phase: deploy.phase,
      hasMigrations: hasMigrations(deploy),
      released: deploy.releasedAt !== null,
    });
  }

  private async deployOr404(id: string): Promise<Deploy> {
    const deploy = await repo.getDeploy(this.db, id);
    if (!deploy) throw new NotFound('DeployNotFound', `No deploy ${id}.`);
    return deploy;
  }

  /**
   * A transition a person or pipeline asks for. One that does not apply to the phase is refused
   * (409 saying the phase and what is allowed), and nothing changes; the phase change and its event
   * are one transaction, conditional on the phase it was judged from.
   */
  async transition(
    id: string,
    transition: DeployTransition,
    by: string,
    text: string | null = null,
    audit?: ChangeAudit,
  ): Promise<void> {
    const deploy = await this.deployOr404(id);
    const context = {
      phase: deploy.phase,
      hasMigrations: hasMigrations(deploy),
      released: deploy.releasedAt !== null,
    };
    const outcome = applyTransition(transition, context);
    if ('refused' in outcome)
      throw new Conflict('TransitionNotAllowed', `Deploy ${id} is ${deploy.phase}: ${outcome.refused}.`, {
        phase: deploy.phase,
        allowed: allowedTransitions(context),
      });
    const at = this.deps.now();
    const ending = (kind: DeployEnding['kind'], message: string): DeployEnding => ({
      kind,
      by,
      fromPhase: deploy.phase,
      at,
      message,
    });
    const snapshot = deploy.baseline.snapshot?.identifier;
    const change: Record<DeployTransition, { set: repo.PhaseChange; kind: string; message: string }> = {
      'migration-started': {
        set: { migrationStartedAt: at },
        kind: 'migration-started',
        message: `${by} said the migration started (${deploy.baseline.databaseRevision ?? 'none'} → ${deploy.targetRevision})`,
      },
      'migration-finished': {
        set: {
          migratedAt: at,
          watchStartedAt: at,
          ...(deploy.migrationStartedAt ? {} : { migrationStartedAt: at }),
        },
        kind: 'migration-finished',
        message: `${by} said the migration finished; verifying the database at ${deploy.targetRevision}`,
      },
      released: {
        set: { releasedAt: at, ...(deploy.phase === 'ready' ? { watchStartedAt: at } : {}) },
        kind: 'released',
        message:
          deploy.phase === 'ready'
            ? `${by} said the release went out (no migrations: the database stays at ${deploy.targetRevision}); the watch starts`
            : `${by} said the release went out`,
      },
      finish: {
        set: { ending: ending('finished', `closed early by ${by}: ${text}`) },
        kind: 'phase-done',
        message: `Closed by ${by}: ${text}`,
      },
      cancel: {
        set: { ending: ending('cancelled', `cancelled by ${by}: ${text}`) },
        kind: 'phase-cancelled',
        message: `Cancelled by ${by}: ${text}${snapshot ? `. The snapshot ${snapshot} it took stays.` : ''}`,
      },
    };
    const { set, kind, message } = change[transition];
    const said: Record<DeployTransition, string> = {
      'migration-started': `said the migration of deploy ${id} started`,
      'migration-finished': `said the migration of deploy ${id} finished`,
      released: `said the release of deploy ${id} went out`,
      finish: `closed the watch of deploy ${id}`,
      cancel: `cancelled deploy ${id}`,
    };
    const moved = await repo.transitionDeploy(
      this.db,
      id,
      deploy.phase,
      outcome.to,
      set,
      {
        kind,
        message,
        at,
        details: {
          by,
          ...(text ? { note: text } : {}),
          ...(transition === 'cancel' && snapshot ? { snapshot } : {}),
        },
      },
      async (tx) => {
        if (set.ending) return this.tellEnded(tx, id, set.ending, outcome.to);
        if (transition === 'migration-started' || transition === 'migration-finished')
          await this.tell(tx, `deploy.${transition}`, id, message, {
            by,
            from: deploy.baseline.databaseRevision,
            to: deploy.targetRevision,
          });
      },
      audit &&
        ((tx) =>
          audit.within(tx, {
            summary: `${personOf(by)} ${said[transition]} (${deploy.phase} → ${outcome.to})`,
            target: `deploy ${id}`,
            at,
          })),
    );
    if (!moved) {
      const now = await this.deployOr404(id);
      throw new Conflict(
        'TransitionNotAllowed',
        `Deploy ${id} moved to ${now.phase} meanwhile; allowed from ${now.phase}: ${this.transitionsOf(now).join(', ') || 'nothing'}.`,
        { phase: now.phase, allowed: this.transitionsOf(now) },
      );
    }
  }

  /**
   * A rollback job of a deploy moved on: verifying (the change is made, its minute of traffic is
   * awaited), restored (cut-over pending), failed, or succeeded, which ends the deploy as rolled
   * back with the job linked. Each state of each job is one event, whoever tells it how often.
   */
  async rollbackFinished(job: {
    id: string;
    deployId: string;
    kind: string;
    target: string;
    state: string;
    requestedBy: string;
    error?: string | null;
    verification?: Array<{ check: string; ok: boolean; detail: string; pending?: boolean }>;
  }): Promise<void> {
    const deploy = await repo.getDeploy(this.db, job.deployId);
    if (!deploy) return;
    const at = this.deps.now();
    const what = `Rollback job ${job.id} (${job.kind} ${job.target}, by ${job.requestedBy})`;
    const checks = (job.verification ?? []).map(
      (v) => `${v.pending ? 'waiting' : v.ok ? 'ok' : 'not ok'}: ${v.detail}`,
    );
    const verified = checks.length > 0 ? `; verification: ${checks.join('; ')}` : '';
    const details = {
      jobId: job.id,
      kind: job.kind,
      target: job.target,
      state: job.state,
      by: job.requestedBy,
      verification: job.verification ?? [],
      ...(job.error ? { error: job.error } : {}),
    };
    if (job.state !== 'succeeded' || deploy.phase === 'cancelled' || deploy.phase === 'rolled-back') {
      // A restore waiting for its cut-over has not failed: production still runs on the old database.
      const kind =
        job.state === 'succeeded'
          ? 'rollback-finished'
          : job.state === 'cut-over-pending'
            ? 'rollback-restored'
            : job.state === 'verifying'
              ? 'rollback-verifying'
              : 'rollback-failed';
      await repo.recordOnce(this.db, deploy.id, `${kind}:${job.id}`, {
        kind,
        message: `${what} ${job.state === 'verifying' ? 'applied; verifying with a minute of traffic after the change' : job.state}${job.error ? `: ${job.error}` : ''}${verified}`,
        at,
        details,
      });
      return;
    }
    const ending: DeployEnding = {
      kind: 'rolled-back',
      by: job.requestedBy,
      fromPhase: deploy.phase,
      at,
      message: `${what} finished`,
    };
    await repo.transitionDeploy(
      this.db,
      deploy.id,
      deploy.phase,
      'rolled-back',
      { ending },
      {
        message: `Rolled back: ${what} succeeded${verified}`,
        at,
        details,
      },
      (tx) => this.tellEnded(tx, deploy.id, ending, 'rolled-back'),
    );
  }

  private async manualItem(
    id: string,
    itemId: string,
  ): Promise<{ deploy: Deploy; item: ChecklistTemplateItem }> {
    const deploy = await this.deployOr404(id);
    const item = (await this.checklistOf(deploy)).find((t) => t.id === itemId);
    if (!item) throw new NotFound('ItemNotFound', `Deploy ${id}'s checklist has no item ${itemId}.`);
    if (item.rule)
      throw new Conflict(
        'ItemIsAutomatic',
        `Item ${itemId} is automatic: its state comes from live data and cannot be signed off or revoked.`,
      );
    if (isEnded(deploy.phase))
      throw new Conflict(
        'DeployEnded',
        `Deploy ${id} has ended (${deploy.phase}): its checklist is kept as it was and no longer changes.`,
        { phase: deploy.phase },
      );
    return { deploy, item };
  }

  async signOff(id: string, itemId: string, by: string, comment: string, audit?: ChangeAudit): Promise<void> {
    const { deploy, item } = await this.manualItem(id, itemId);
    if (itemJudgement(item.phase, deploy.phase) === 'not-yet')
      throw new Conflict(
        'ItemNotOpen',
        `Item ${itemId} (${item.phase}) cannot be signed off yet: it opens ${opensWhen[item.phase]}; deploy ${id} is ${deploy.phase}.`,
        { phase: deploy.phase },
      );
    // A judgement over the whole watch ("no regression over 24 hours") is given at its end.
    if (item.phase === 'monitoring') {
      const template = await this.checklistOf(deploy);
      const last = Math.max(...template.filter((t) => isWatchItem(t.id)).map((t) => watchHours(t.id)), 0);
      const opensAt = deploy.watchStartedAt ? Date.parse(deploy.watchStartedAt) + last * 3_600_000 : null;
      if (opensAt === null || Date.parse(this.deps.now()) < opensAt)
        throw new Conflict(
          'ItemNotOpen',
          `Item ${itemId} judges the whole watch: it opens at T+${last} h${opensAt !== null ? ` (${new Date(opensAt).toISOString()})` : ', counted from the migration or the release'}; deploy ${id} is ${deploy.phase}.`,
          { phase: deploy.phase },
        );
    }
    if (!this.deps.settings.preparerMaySignOff && deploy.preparedBy === by)
      throw new Forbidden(
        'PreparerMayNotSignOff',
        `${by} prepared deploy ${id}: another lead must sign off its items.`,
      );
    const at = this.deps.now();
    // The sign-off, its timeline event and its audit row: one transaction.
    try {
      await this.db.transaction().execute(async (tx) => {
        await repo.signOffItem(tx, id, itemId, { by, at, comment });
        await repo.appendDeployEvent(tx, id, {
          kind: 'signed-off',
          message: `${by} signed off ${itemId}: ${comment}`,
          at,
          details: { itemId, by, comment },
        });
        await this.tell(tx, 'deploy.item-signed-off', id, `${by} signed off ${item.title}`, {
          itemId,
          title: item.title,
          by,
          comment,
        });
        await audit?.within(tx, {
          summary: `${personOf(by)} signed off “${item.title}” on deploy ${id}`,
          target: `deploy ${id} item ${itemId}`,
          at,
        });
      });
    } catch (error) {
      if (error instanceof repo.SignOffExists) throw new Conflict('AlreadySignedOff', error.message);
      throw error;
    }
  }

  async revoke(id: string, itemId: string, by: string, reason: string, audit?: ChangeAudit): Promise<void> {
    const { item } = await this.manualItem(id, itemId);
    const at = this.deps.now();
    // The revoke, its timeline event, its notification and its audit row: one transaction.
    const revoked = await this.db.transaction().execute(async (tx) => {
      if (!(await repo.revokeSignOff(tx, id, itemId, { by, at, reason }))) return false;
      await repo.appendDeployEvent(tx, id, {
        kind: 'sign-off-revoked',
        message: `${by} revoked the sign-off of ${itemId}: ${reason}`,
        at,
        details: { itemId, by, reason },
      });
      await this.tell(tx, 'deploy.item-revoked', id, `${by} revoked the sign-off of ${item.title}`, {
        itemId,
        title: item.title,
        by,
        reason,
      });
      await audit?.within(tx, {
        summary: `${personOf(by)} revoked the sign-off of “${item.title}” on deploy ${id}`,
        target: `deploy ${id} item ${itemId}`,
        at,
      });
      return true;
    });
    if (!revoked) throw new Conflict('NotSignedOff', `Item ${itemId} has no standing sign-off to revoke.`);
  }

  /**
   * Evaluates the active deploy's open automatic items (those of the phase it is in) against live
   * data, stores each result with its evidence, and moves the deploy on as the live data says:
   * snapshot available, migration seen, target reached, release seen, healthy, checkpoints, the watch over.
   */
  async evaluate(): Promise<void> {
    const deploy = await repo.activeDeploy(this.db, this.deps.environment);
    if (!deploy) return;
    const template = await this.checklistOf(deploy);
    const now = this.deps.now();
    const sources = this.deps.sources();
    const open = template.filter(
      (t) => t.rule && !isWatchItem(t.id) && itemJudgement(t.phase, deploy.phase) === 'open',
    );
    const healthUrls = [
      ...new Set(
        open.flatMap((t) =>
          t.rule?.type === 'health-url-ok' ? [t.rule.url ?? this.deps.settings.healthUrl ?? ''] : [],
        ),
      ),
    ].filter((url) => url !== '');
    const health = await Promise.all(healthUrls.map((url) => this.deps.readHealth(url)));
    const facts = liveFacts({
      deploy,
      sources,
      history: this.deps.history(),
      health,
      now,
      errorWindowMinutes: this.deps.settings.errorWindowMinutes,
      extraWindowMinutes: open.flatMap((t) =>
        t.rule?.type === 'error-rate-zero' && t.rule.windowMinutes ? [t.rule.windowMinutes] : [],
      ),
      ...(this.deps.sourcesNow ? { sourcesNow: this.deps.sourcesNow() } : {}),
      historyState: this.deps.historyState?.() ?? null,
      schemaErrorCount: open.some((t) => t.rule?.type === 'no-schema-errors-since-migration')
        ? await this.schemaErrorCount(deploy, now)
        : null,
    });
    const settings: RuleSettings = {
      snapshotMaxAgeHours: this.deps.settings.snapshotMaxAgeHours,
      p99TolerancePercent: this.deps.settings.p99TolerancePercent,
      baselineP99Ms: deploy.baselineMetrics?.p99Ms ?? null,
      baselineP99ByFunction: deploy.baselineMetrics?.p99ByFunction ?? null,
      healthUrl: this.deps.settings.healthUrl,
    };
    const results = await Promise.all(
      open.map(async (item) => ({ item, result: await this.judge(item.rule!, deploy, facts, settings) })),
    );
    for (const { item, result } of results)
      if (result)
        await repo.recordEvidence(
          this.db,
          deploy.id,
          item.id,
          {
            ...result,
            evaluatedAt: now,
            // What a rule reads for itself (a URL, a query, an alarm) is data of this evaluation.
            dataFetchedAt: result.dataFetchedAt ?? now,
            sourceError: result.sourceError ?? null,
          },
          async (tx, previous) => {
            // Failed now, and was not failed before: told once, by the evaluation that stored the change.
            const failed = (e: ChecklistEvidence | null) => e !== null && !e.passed && !e.waiting;
            if (!failed({ ...result, evaluatedAt: now }) || failed(previous)) return;
            await this.tell(tx, 'deploy.item-failed', deploy.id, `${item.title} failed: ${result.value}`, {
              itemId: item.id,
              title: item.title,
              question: result.question,
              value: result.value,
              phase: deploy.phase,
            });
          },
        );
    await this.followLiveData(deploy, template, facts, now);
    await this.tellVerdict(deploy.id, template);
  }

  /** deploy.verdict-changed: the current gate's GO/NO-GO against the one last told, stored. */
  private async tellVerdict(id: string, template: ChecklistTemplateItem[]): Promise<void> {
    const deploy = await repo.getDeploy(this.db, id);
    if (!deploy || isEnded(deploy.phase)) return;
    const { verdict } = gateVerdicts(await this.items(deploy, template), deploy.phase);
    if (verdict.verdict === 'pending') return;
    await repo.recordVerdict(this.db, id, verdict.verdict, (tx, previous) =>
      this.tell(
        tx,
        'deploy.verdict-changed',
        id,
        `Deploy ${id}: ${verdict.question} ${previous} → ${verdict.verdict}${verdict.reasons.length ? ` (${verdict.reasons.join('; ')})` : ''}`,
        {
          gate: verdict.gate,
          question: verdict.question,
          from: previous,
          verdict: verdict.verdict,
          reasons: verdict.reasons,
          phase: deploy.phase,
        },
      ),
    );
  }

  /**
   * The schema errors since the deploy's migration, counted across windows: the stored tally moved
   * on by a log read from where it stopped (at most once per interval; a failed read leaves it,
   * with the error).
   */
  private async schemaErrorCount(deploy: Deploy, now: string): Promise<SchemaErrorCountSince | null> {
    const since = deploy.watchStartedAt ?? deploy.migratedAt;
    const counter = this.deps.schemaErrors;
    if (!since || !counter) return null;
    const stored = await repo.schemaErrorTally(this.db, deploy.id);
    const last = this.lastCount.get(deploy.id);
    if (stored?.since === since && last && Date.now() - last.at < counter.intervalMs)
      return { count: stored.count, since, countedTo: stored.countedTo, error: last.error };
    const { tally, error } = await countSchemaErrorsSince(counter, stored, since, new Date(now));
    this.lastCount.set(deploy.id, { at: Date.now(), error });
    if (!error) await repo.saveSchemaErrorTally(this.db, deploy.id, tally);
    return { count: tally.count, since, countedTo: tally.countedTo, error };
  }

  private async judge(
    rule: ChecklistRule,
    deploy: Deploy,
    facts: LiveFacts,
    settings: RuleSettings,
  ): Promise<RuleResult | null> {
    if (isLiveRule(rule)) return evaluateRule(rule, facts, settings);
    switch (rule.type) {
      case 'http-check':
        return judgeHttpCheck(rule, await this.deps.probes.http(rule));
      case 'sql-check':
        return judgeSqlCheck(rule, await this.deps.probes.sql(rule));
      case 'cloudwatch-alarm':
        return judgeAlarms(rule, await this.deps.probes.alarms(rule));
      case 'metric-threshold':
        return judgeMetricThreshold(rule, await this.deps.probes.metric(rule, new Date(facts.now)));
      case 'migration-lint':
        return judgeMigrationLint(rule, await this.lint(deploy));
      case 'no-lock-blockers':
        return judgeLockBlockers(rule, this.deps.locks());
    }
    return null;
  }

  private async lint(deploy: Deploy): Promise<LintReading> {
    const key = `${deploy.baseline.databaseRevision}→${deploy.targetRevision}`;
    const cached = this.lintCache.get(key);
    if (cached && Date.now() - cached.at < 60_000) return cached.reading;
    const reading = await this.deps.lintRelease(deploy.baseline.databaseRevision, deploy.targetRevision);
    this.lintCache.set(key, { at: Date.now(), reading });
    return reading;
  }

  private async followLiveData(
    start: Deploy,
    template: ChecklistTemplateItem[],
    facts: LiveFacts,
    now: string,
  ): Promise<void> {
    let deploy = start;
    const baseline = new Map(deploy.baseline.aliases.map((a) => [`${a.functionName}:${a.alias}`, a.version]));
    // An alias a rollback of this deploy moved is not the release going out.
    const rolledBackTo = new Set(
      (await repo.eventsOfKinds(this.db, deploy.id, ['rollback-started'])).map(
        (e) => `${String(e.details.target)}:${String(e.details.version)}`,
      ),
    );
    const aliasesMoved = (facts.aliases ?? []).flatMap((a) => {
      const before = baseline.get(`${a.functionName}:${a.alias}`);
      return before !== undefined &&
        before !== a.version &&
        !rolledBackTo.has(`${a.functionName}:${a.version}`)
        ? [`${a.functionName}:${a.alias} ${before} → ${a.version}`]
        : [];
    });
    for (let step = 0; step < 3; step++) {
      const seen = observedTransition({
        phase: deploy.phase,
        hasMigrations: hasMigrations(deploy),
        snapshotAvailable: facts.snapshot?.status === 'available',
        baselineRevision: deploy.baseline.databaseRevision,
        targetRevision: deploy.targetRevision,
        currentRevisions: facts.alembic?.current ?? null,
        aliasesMoved,
      });
      if (!seen) break;
      const set: repo.PhaseChange =
        seen.kind === 'migration-seen'
          ? { migrationStartedAt: now }
          : seen.kind === 'target-reached'
            ? {
                migratedAt: now,
                watchStartedAt: now,
                ...(deploy.migrationStartedAt ? {} : { migrationStartedAt: now }),
              }
            : seen.kind === 'release-seen'
              ? { releasedAt: now, watchStartedAt: now }
              : {};
      const told =
        seen.kind === 'migration-seen'
          ? ('deploy.migration-started' as const)
          : seen.kind === 'target-reached'
            ? ('deploy.migration-finished' as const)
            : null;
      const from = deploy.baseline.databaseRevision;
      const to = deploy.targetRevision;
      await repo.transitionDeploy(
        this.db,
        deploy.id,
        deploy.phase,
        seen.to,
        set,
        {
          message: seen.message,
          at: now,
          details: {
            by: flightdeck,
            seen: seen.kind,
            ...(seen.kind === 'release-seen' ? { aliasesMoved } : {}),
          },
        },
        async (tx) => {
          if (told)
            await this.tell(tx, told, start.id, seen.message, {
              by: flightdeck,
              from,
              to,
              current: facts.alembic?.current ?? null,
            });
        },
      );
      deploy = (await repo.getDeploy(this.db, deploy.id))!;
    }
    if (deploy.phase === 'verifying') {
      const { verdicts } = gateVerdicts(await this.items(deploy, template), deploy.phase);
      if (verdicts.healthy.verdict === 'GO') {
        await repo.transitionDeploy(
          this.db,
          deploy.id,
          'verifying',
          'monitoring',
          {},
          {
            message:
              'Healthy: every during and post-deploy item passes; the watch goes on to its checkpoints',
            at: now,
            details: { by: flightdeck },
          },
        );
        deploy = (await repo.getDeploy(this.db, deploy.id))!;
      }
    }
    await this.recordCheckpoints(deploy, template, now);
    await this.closeWhenOver(deploy, template, now);
  }

  private async recordCheckpoints(
    deploy: Deploy,
    template: ChecklistTemplateItem[],
    now: string,
  ): Promise<void> {
    const watchStart = deploy.watchStartedAt;
    if (!watchStart || isEnded(deploy.phase)) return;
    const sources = this.deps.sources();
    const evidence = await repo.latestEvidence(this.db, deploy.id);
    const hours = template.filter((t) => isWatchItem(t.id)).map((t) => watchHours(t.id));
    if (hours.length === 0) return;
    const recorded = hours.filter((h) => evidence.has(watchItemId(h)));
    // A checkpoint measures its own moment: metrics fetched before it (the scenario clock just jumped,
    // the source has not refreshed) leave it due for a later evaluation.
    const asOf = metricsAsOf(sources);
    if (!asOf) return;
    const measuredUpTo = Date.parse(asOf) < Date.parse(now) ? asOf : now;
    const due = dueCheckpoints(watchStart, measuredUpTo, hours, recorded);
    const current = windowMetrics(sources, now, this.deps.settings.errorWindowMinutes, watchStart);
    if (due.length === 0 || !current) return;
    const baseline = deploy.baselineMetrics ?? { invocations: 0, errors: 0, p99Ms: null, schemaErrors: 0 };
    for (const h of due) {
      const c = compareCheckpoint(baseline, current, {
        p99TolerancePercent: this.deps.settings.p99TolerancePercent,
      });
      const value = `${current.invocations} invocations, ${current.errors} errors (${c.errorRatePercent.toFixed(2)} %), p99 ${current.p99Ms ?? 'n/a'} ms, ${current.schemaErrors} schema errors${c.regressed ? `; moved: ${c.changes.join('; ')}` : '; nothing moved'}`;
      // The checkpoint's evidence, its timeline entry and its notification: one transaction.
      await this.db.transaction().execute(async (tx) => {
        await repo.recordEvidence(tx, deploy.id, watchItemId(h), {
          question: `At T+${h} h, does anything regress against the baseline?`,
          value,
          passed: !c.regressed,
          evaluatedAt: now,
          dataFetchedAt:
            sourceStandings({ metrics: sources.metrics }, now, this.deps.sourcesNow?.()).metrics?.fetchedAt ??
            now,
        });
        await repo.appendDeployEvent(tx, deploy.id, {
          kind: 'checkpoint',
          message: `T+${h} h: ${value}`,
          at: now,
          details: { hours: h, metrics: current, baseline, changes: c.changes },
        });
        await this.tell(tx, 'deploy.checkpoint', deploy.id, `Deploy ${deploy.id} at T+${h} h: ${value}`, {
          hours: h,
          regressed: c.regressed,
          changes: c.changes,
          metrics: current,
          baseline,
        });
        // A checkpoint that regressed is a failed item too: measured once, so told once.
        if (c.regressed) {
          const title = template.find((t) => t.id === watchItemId(h))?.title ?? `Watch checkpoint T+${h} h`;
          await this.tell(tx, 'deploy.item-failed', deploy.id, `${title} failed: ${c.changes.join('; ')}`, {
            itemId: watchItemId(h),
            title,
            value,
            phase: deploy.phase,
          });
        }
      });
    }
  }

  /** The watch is over once its last checkpoint is recorded and the close gate says GO. */
  private async closeWhenOver(deploy: Deploy, template: ChecklistTemplateItem[], now: string): Promise<void> {
    if (deploy.phase !== 'monitoring') return;
    const hours = template.filter((t) => isWatchItem(t.id)).map((t) => watchHours(t.id));
    const evidence = await repo.latestEvidence(this.db, deploy.id);
    if (!hours.every((h) => evidence.has(watchItemId(h)))) return;
    const { verdicts } = gateVerdicts(await this.items(deploy, template), deploy.phase);
    if (verdicts.close.verdict !== 'GO') return;
    const last = Math.max(...hours);
    const ending: DeployEnding = {
      kind: 'watch-over',
      by: flightdeck,
      fromPhase: 'monitoring',
      at: now,
      message: `the watch is over: T+${last} h recorded and the close gate says GO`,
    };
    await repo.transitionDeploy(
      this.db,
      deploy.id,
      'monitoring',
      'done',
      { ending },
      {
        message: `The watch is over: T+${last} h recorded, every monitoring item passes or is signed off`,
        at: now,
        details: { by: flightdeck },
      },
      (tx) => this.tellEnded(tx, deploy.id, ending, 'done'),
    );
  }

  async report(id: string): Promise<string | null> {
    const detail = await this.detail(id);
    if (!detail) return null;
    const history = this.deps.history();
    const sources = this.deps.sources();
    const applied = (history?.revisionSummaries ?? [])
      .filter((r) => detail.deploy.pendingAtPrepare.includes(r.revision))
      .map((r) => ({
        revision: r.revision,
        description: r.message ?? '',
        tables: r.counts.tables,
        columns: r.counts.columns,
        indexes: r.counts.indexes,
        enumValues: r.counts.enumValues,
      }));
    const watchStart = detail.deploy.watchStartedAt;
    return renderDeployReport({
      detail,
      applied,
      currentRevision: sources.alembic.data?.current[0] ?? null,
      metricsBefore: detail.deploy.baselineMetrics,
      metricsAfter: watchStart
        ? windowMetrics(sources, this.deps.now(), this.deps.settings.errorWindowMinutes, watchStart)
        : null,
      region: this.deps.region,
      locks: detail.deploy.migrationStartedAt ? await this.deps.measuredLocks(id) : undefined,
      // The target the Overview, the checklist and the Rollbacks page name, from the same live read.
      liveAliases: sources.lambda.data?.functions.map((f) => ({
        functionName: f.functionName,
        alias: f.alias,
        live: f.aliasVersion,
        target: f.previousPublishedVersion,
      })),
    });
  }
}

function activeConflict(active: Deploy): Error {
  return new Conflict(
    'DeployActive',
    `Deploy ${active.id} is already active in ${active.environment} (phase ${active.phase}, prepared by ${active.preparedBy}); finish, cancel or roll it back first.`,
    { id: active.id, phase: active.phase },
  );
}
