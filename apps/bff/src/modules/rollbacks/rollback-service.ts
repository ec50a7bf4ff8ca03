// Preview, request and read rollbacks: checks the request, writes the job row before
// anything acts, and hands the job to the runner.
import { randomUUID } from 'node:crypto';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RDSClient } from '@aws-sdk/client-rds';
import type {
  MetricPoint,
  RollbackBaseline,
  RollbackJob,
  RollbackOrderView,
  RollbackPlan,
  RollbackPreviewRequest,
  RollbackRequest,
  RollbacksOverview,
  FunctionAlias,
} from '@flightdeck/contracts';
import { errorRateAfterRollback } from '@flightdeck/core';
import { frontendSteps, previewFrontendRollback, type FrontendRedeploy } from './frontend-rollback.js';
import { pendingSteps } from './job-context.js';
import { lambdaSteps, previewLambdaRollback, readAlias } from './lambda-rollback.js';
import { previewRdsRollback, rdsSteps } from './rds-rollback.js';
import type { RollbackRepository, StoredRollback } from './rollback-jobs.js';
import { BadInput, Conflict, NotFound } from '../../platform/errors/errors.js';
import type { ChangeAudit } from '../../platform/audit/audit-trail.js';
import { personOf } from '../../platform/audit/change-words.js';

export interface DeployForRollback {
  id: string;
  environment: string;
  baseline: RollbackBaseline;
}

/** Where deploys come from (the deploy repository; in sandbox mode the story's deploy). */
export interface DeployLookup {
  get(id: string): Promise<DeployForRollback | null>;
  /** The deploy rollbacks target now (the active or latest one), if any. */
  current(): Promise<DeployForRollback | null>;
}

export interface RollbackServiceDeps {
  deploys: DeployLookup;
  repository: RollbackRepository;
  readers: { lambda: LambdaClient; rds: RDSClient };
  /** The safe order from the migrations applied since the baseline. */
  order(baseline: RollbackBaseline): Promise<RollbackOrderView>;
  /** Starts (or resumes) a job in the background. */
  start(stored: StoredRollback): void;
  /** A function's per-minute metrics as the collectors hold them now, for the error-rate check. */
  metricsOf?(functionName: string): MetricPoint[] | null;
  /** Told when ops mark a restore's cut-over done (the job has just succeeded). */
  onCutOver?(stored: StoredRollback): void;
  /** Where the function's alias points and its published versions, as the Overview last read them. */
  aliasOf?(functionName: string): FunctionAlias | null;
  /** Told when a request is refused (409), with the request's idempotency key. */
  onRefused?(request: RollbackRequest, who: { user: string }, error: Conflict, idempotencyKey: string): void;
  /** rollbacks.frontend from the configuration. */
  frontend?: FrontendRedeploy;
  now?: () => Date;
}

export class RollbackService {
  constructor(private readonly deps: RollbackServiceDeps) {}

  private async deploy(id: string): Promise<DeployForRollback> {
    const deploy = await this.deps.deploys.get(id);
    if (!deploy) throw new NotFound('DeployNotFound', `There is no deploy ${id}.`);
    return deploy;
  }

  /** The plan, read from the current state; `jobId` is the id a start with this plan will use. */
  async preview(request: RollbackPreviewRequest, jobId: string = randomUUID()): Promise<RollbackPlan> {
    const jobIdForName = jobId;
    const deploy = await this.deploy(request.deployId);
    const order = await this.deps.order(deploy.baseline);
    switch (request.kind) {
      case 'lambda':
        return previewLambdaRollback(
          this.deps.readers.lambda,
          deploy.id,
          deploy.baseline,
          request.target,
          order,
          request.version ?? (await this.versionRolledBackTo(deploy.id, request.target)),
        );
      case 'rds':
        return previewRdsRollback(
          this.deps.readers.rds,
          deploy.id,
          deploy.baseline,
          request.target,
          order,
          jobIdForName,
        );
      case 'frontend':
        return previewFrontendRollback(this.deps.frontend, deploy.id, deploy.baseline, request.target, order);
    }
  }

  async request(
    request: RollbackRequest,
    who: { user: string },
    idempotencyKey: string,
    audit?: ChangeAudit,
  ): Promise<{ outcome: 'created' | 'existing'; job: RollbackJob }> {
    try {
      return await this.requestOnce(request, who, idempotencyKey, audit);
    } catch (error) {
      // A refused rollback is part of what happened: the deploy's record keeps it.
      if (error instanceof Conflict) this.deps.onRefused?.(request, who, error, idempotencyKey);
      throw error;
    }
  }

  private async requestOnce(
    request: RollbackRequest,
    who: { user: string },
    idempotencyKey: string,
    audit?: ChangeAudit,
  ): Promise<{ outcome: 'created' | 'existing'; job: RollbackJob }> {
    if (request.confirmation !== request.target)
      throw new BadInput(
        'ConfirmationMismatch',
        `Type the target's name exactly to confirm: ${request.target}.`,
      );
    const arrivedAt = (this.deps.now?.() ?? new Date()).toISOString();
    // The preview's proposed id, so the restored instance is named as the preview showed.
    const id = request.jobId ?? randomUUID();
    if (request.jobId && (await this.deps.repository.get(request.jobId)))
      throw new Conflict(
        'JobIdUsed',
        `A rollback with id ${request.jobId} exists already: preview again for a new one.`,
        {
          job: request.jobId,
        },
      );
    const plan = await this.preview(request, id);
    if (plan.blocked && plan.current === plan.desired) {
      // Already there: if a rollback of this deploy took it there (or is finishing), that is the answer.
      const latest = await this.deps.repository.latestFor(request.deployId, request.kind, request.target);
      if (latest && latest.job.plan.desired === plan.desired && latest.job.state !== 'failed')
        return { outcome: 'existing', job: latest.job };
    }
    if (plan.blocked)
      throw new Conflict('NothingToDo', plan.blocked, {
        current: plan.current,
        desired: plan.desired,
      });
    let expectedRevisionId: string | null = null;
    if (request.kind === 'lambda') {
      expectedRevisionId = plan.revisionId;
      const moved =
        (request.expectedRevisionId !== undefined && request.expectedRevisionId !== plan.revisionId) ||
        (request.expectedVersion !== undefined && request.expectedVersion !== plan.currentVersion);
      if (moved) {
        const params = plan.calls[0]!.parameters as { FunctionName: string; Name: string };
        const now = await readAlias(this.deps.readers.lambda, params.FunctionName, params.Name);
        throw new Conflict(
          'ChangedSincePreview',
          `${params.FunctionName}:${params.Name} changed after the preview: it now points to ${now.version}. Nothing was changed; preview again.`,
          {
            alias: `${params.FunctionName}:${params.Name}`,
            previewRevisionId: request.expectedRevisionId,
            previewVersion: request.expectedVersion,
            currentRevisionId: now.revisionId,
            currentVersion: now.version,
          },
        );
      }
    }
    const job: RollbackJob = {
      id,
      deployId: request.deployId,
      kind: request.kind,
      target: request.target,
      requestedBy: who.user,
      requestedAt: (this.deps.now?.() ?? new Date()).toISOString(),
      state: 'pending',
      plan,
      steps: pendingSteps(
        request.kind === 'lambda' ? lambdaSteps : request.kind === 'rds' ? rdsSteps : frontendSteps,
      ),
      verification: [],
      cutOver: [],
      error: null,
    };
    // The same request sent twice at once (two clicks, two tabs): if the first already ran to the
    // same target while this one was being planned, this one is that job, not a second rollback.
    const meanwhile = await this.deps.repository.latestFor(request.deployId, request.kind, request.target);
    if (
      meanwhile &&
      meanwhile.job.state !== 'failed' &&
      meanwhile.job.plan.desired === plan.desired &&
      meanwhile.job.requestedAt >= arrivedAt
    )
      return { outcome: 'existing', job: meanwhile.job };
    const result = await this.deps.repository.createUnlessActive(
      { job, expectedRevisionId, idempotencyKey },
      audit &&
        ((tx) =>
          audit.within(tx, {
            summary: `${personOf(who.user)} started rolling back ${request.kind} ${request.target} from ${plan.current} to ${plan.desired} (deploy ${request.deployId}, job ${job.id})`,
            target: request.target,
            at: job.requestedAt,
            status: 202,
            made: job.id,
          })),
    );
    if (result.outcome === 'conflict')
      throw new Conflict(
        'RollbackActive',
        `Another rollback of ${request.target} is in progress (${result.stored.job.plan.desired}); wait for it or follow it.`,
        {
          job: result.stored.job.id,
          state: result.stored.job.state,
          desired: result.stored.job.plan.desired,
        },
      );
    if (result.outcome === 'created') this.deps.start(result.stored);
    return { outcome: result.outcome, job: result.stored.job };
  }

  /**
   * The version an earlier rollback of this deploy took the alias to (running or done): asking
   * again without naming a version means that rollback, not one more step back.
   */
  private async versionRolledBackTo(deployId: string, functionName: string): Promise<string | undefined> {
    const latest = await this.deps.repository.latestFor(deployId, 'lambda', functionName);
    if (!latest || latest.job.state === 'failed') return undefined;
    return (latest.job.plan.calls[0]?.parameters as { FunctionVersion?: string } | undefined)
      ?.FunctionVersion;
  }

  async overview(): Promise<RollbacksOverview> {
    const deploy = await this.deps.deploys.current();
    const jobs = (await this.deps.repository.list(20)).map((s) => this.withErrorRate(s.job));
    if (!deploy) return { deploy: null, targets: [], jobs };
    const { baseline } = deploy;
    const frontend = this.deps.frontend;
    return {
      deploy: { id: deploy.id, environment: deploy.environment },
      targets: [
        ...baseline.aliases.map((a) => {
          const live = this.deps.aliasOf?.(a.functionName) ?? null;
          const defaultVersion = live ? live.previousPublishedVersion : a.version;
          return {
            kind: 'lambda' as const,
            target: a.functionName,
            label: `${a.alias} -> ${defaultVersion ?? a.version}`,
            lambda: {
              alias: a.alias,
              liveVersion: live?.aliasVersion ?? null,
              baselineVersion: a.version,
              defaultVersion,
              versions: live?.versions ?? [],
            },
          };
        }),
        ...(baseline.snapshot
          ? [
              {
                kind: 'rds' as const,
                target: baseline.snapshot.instance,
                label: `restore ${baseline.snapshot.identifier}`,
              },
            ]
          : []),
        ...(frontend && baseline.frontendRef
          ? [{ kind: 'frontend' as const, target: frontend.name, label: `redeploy ${baseline.frontendRef}` }]
          : []),
      ],
      jobs: jobs.filter((j) => j.deployId === deploy.id),
    };
  }

  /**
   * RDS: ops say the application now uses the restored instance. Only then is the rollback
   * done: until the cut-over, production still runs on the old database.
   */
  async markCutOver(
    id: string,
    who: { user: string },
    at: string,
    audit?: ChangeAudit,
  ): Promise<RollbackJob> {
    const stored = await this.deps.repository.get(id);
    if (!stored) throw new NotFound('NotFound', `There is no rollback ${id}.`);
    if (stored.job.state !== 'cut-over-pending')
      throw new Conflict(
        'NoCutOverPending',
        `Rollback ${id} is ${stored.job.state}: only a restore whose instance is available waits for its cut-over.`,
        { state: stored.job.state },
      );
    stored.job.state = 'succeeded';
    stored.job.verification.push({
      check: 'cut-over',
      ok: true,
      detail: `${who.user} marked the cut-over done at ${at}`,
    });
    await this.deps.repository.save(
      stored,
      audit &&
        ((tx) =>
          audit.within(tx, {
            summary: `${personOf(who.user)} marked the cut-over of rollback ${id} (${stored.job.target}) done: the restore succeeded`,
            target: `rollback ${id} (${stored.job.target})`,
            at,
            made: id,
          })),
    );
    this.deps.onCutOver?.(stored);
    return stored.job;
  }

  async get(id: string): Promise<RollbackJob | null> {
    const job = (await this.deps.repository.get(id))?.job;
    return job ? this.withErrorRate(job) : null;
  }

  /**
   * A verifying Lambda rollback shows its error-rate check live, as the minutes come in (the
   * verifier saves the verdict); a job that succeeded before verification was kept shows it too.
   */
  private withErrorRate(job: RollbackJob): RollbackJob {
    if (job.kind !== 'lambda' || (job.state !== 'succeeded' && job.state !== 'verifying')) return job;
    if (job.verification.some((v) => v.check === 'error rate')) return job;
    const series = this.deps.metricsOf?.(job.target);
    const started = job.steps[0]?.updatedAt;
    const finished = job.steps.at(-1)?.updatedAt;
    if (!series || !started || !finished) return job;
    return { ...job, verification: [...job.verification, errorRateAfterRollback(series, started, finished)] };
  }
}
