// The deploy's record: what happened during a release, kept on its timeline. The leader detects
// from the live data the error episodes, the alias changes (Flightdeck's or anyone's) and the
// verdict flips; the rollbacks module tells it of every job started, refused and finished. Each
// event detected or told carries a deterministic key, unique per deploy in the store (0010), so a
// second replica, a restart or the same poll seen twice writes nothing more.
import type { DeployEvent, DeployMarker, OverviewSources } from '@flightdeck/contracts';
import {
  describeEpisode,
  errorEpisodes,
  isEnded,
  recordKindWords,
  recordMarkerKinds,
  type RecordEventKind,
} from '@flightdeck/core';
import type { Kysely } from 'kysely';
import * as repo from './store/deploy-repository.js';
import type { DeployTables } from './store/deploy-tables.js';
import type { DeployService } from './deploy-service.js';

/** How long after a deploy ends its record still follows the live data (the errors a rollback stopped). */
const followAfterEndMs = 30 * 60_000;

export interface RollbackJobFacts {
  id: string;
  deployId: string;
  kind: string;
  target: string;
  requestedBy: string;
  plan: { current: string; desired: string; calls: Array<{ parameters: Record<string, unknown> }> };
}

export interface RollbackRefusal {
  deployId: string;
  kind: string;
  target: string;
  by: string;
  /** The refusal's code and message, as the person saw them. */
  code: string;
  message: string;
  /** The request's idempotency key: the same request retried is one refusal. */
  requestKey: string;
}

export interface DeployRecorderDeps {
  db: Kysely<DeployTables>;
  environment: string;
  service: DeployService;
  sources(): OverviewSources;
  now(): string;
}

export class DeployRecorder {
  constructor(private readonly deps: DeployRecorderDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** The leader's pass over the live data, after each evaluation. */
  async record(): Promise<void> {
    const now = this.deps.now();
    const since = new Date(Date.parse(now) - followAfterEndMs).toISOString();
    const deploy = await repo.recordingDeploy(this.db, this.deps.environment, since);
    if (!deploy) return;
    const sources = this.deps.sources();
    await this.recordErrorEpisodes(deploy.id, deploy.preparedAt, sources, now);
    await this.recordAliasChanges(deploy.id, deploy.baseline.aliases, sources, now);
    if (!isEnded(deploy.phase)) await this.recordVerdict(deploy.id, now);
  }

  private async recordErrorEpisodes(deployId: string, since: string, sources: OverviewSources, now: string) {
    const functions = sources.metrics.data?.functions ?? [];
    if (functions.length === 0) return;
    const stored = await repo.eventsOfKinds(this.db, deployId, ['errors-started', 'errors-stopped']);
    for (const fn of functions) {
      const mine = stored.filter((e) => e.details.functionName === fn.functionName);
      const stopped = new Set(
        mine.filter((e) => e.kind === 'errors-stopped').map((e) => String(e.details.startedAt)),
      );
      const lastEnd = mine
        .filter((e) => e.kind === 'errors-stopped')
        .map((e) => String(e.details.endedAt))
        .sort()
        .at(-1);
      let open =
        mine
          .filter((e) => e.kind === 'errors-started' && !stopped.has(String(e.details.startedAt)))
          .map((e) => String(e.details.startedAt))
          .at(-1) ?? null;
      for (const episode of errorEpisodes(fn.series, since, now)) {
        if (lastEnd && episode.startedAt < lastEnd) continue;
        const words = describeEpisode(fn.label, episode);
        if (open === null) {
          open = episode.startedAt;
          await repo.recordOnce(this.db, deployId, `errors-started:${fn.functionName}:${open}`, {
            kind: 'errors-started',
            message: words.started,
            at: episode.startedAt,
            details: { functionName: fn.functionName, label: fn.label, startedAt: open },
          });
        }
        if (episode.endedAt) {
          await repo.recordOnce(this.db, deployId, `errors-stopped:${fn.functionName}:${open}`, {
            kind: 'errors-stopped',
            message: words.stopped,
            at: episode.endedAt,
            details: {
              functionName: fn.functionName,
              label: fn.label,
              startedAt: open,
              endedAt: episode.endedAt,
              errors: episode.errors,
              invocations: episode.invocations,
              minutes: episode.minutes,
            },
          });
          open = null;
        }
      }
    }
  }

  private async recordAliasChanges(
    deployId: string,
    baseline: Array<{ functionName: string; alias: string; version: string }>,
    sources: OverviewSources,
    now: string,
  ) {
    const live = sources.lambda.data?.functions ?? [];
    if (live.length === 0) return;
    const stored = await repo.eventsOfKinds(this.db, deployId, ['alias-changed', 'rollback-started']);
    for (const fn of live) {
      if (!fn.aliasVersion) continue;
      const name = `${fn.functionName}:${fn.alias}`;
      const moves = stored.filter((e) => e.kind === 'alias-changed' && e.details.alias === name);
      const before =
        (moves.at(-1)?.details.to as string | undefined) ??
        baseline.find((a) => a.functionName === fn.functionName && a.alias === fn.alias)?.version;
      if (before === undefined || before === fn.aliasVersion) continue;
      const job = stored
        .filter(
          (e) =>
            e.kind === 'rollback-started' &&
            e.details.target === fn.functionName &&
            e.details.version === fn.aliasVersion,
        )
        .at(-1);
      const who = job
        ? `by Flightdeck, rollback job ${String(job.details.jobId)} requested by ${String(job.details.by)}`
        : 'not by Flightdeck (seen in the live data)';
      await repo.recordOnce(this.db, deployId, `alias-changed:${name}:${moves.length}`, {
        kind: 'alias-changed',
        message: `${fn.label} alias ${fn.alias}: version ${before} → ${fn.aliasVersion}, ${who}`,
        at: now,
        details: {
          alias: name,
          functionName: fn.functionName,
          from: before,
          to: fn.aliasVersion,
          ...(job ? { jobId: job.details.jobId } : {}),
        },
      });
    }
  }

  private async recordVerdict(deployId: string, now: string) {
    const detail = await this.deps.service.detail(deployId);
    if (!detail) return;
    const { verdict } = detail;
    if (verdict.verdict === 'pending') return;
    const flips = await repo.eventsOfKinds(this.db, deployId, ['verdict-changed']);
    const last = flips.at(-1);
    if (last?.details.verdict === verdict.verdict) return;
    const reasons = verdict.reasons.length > 0 ? `: ${verdict.reasons.join('; ')}` : '';
    await repo.recordOnce(this.db, deployId, `verdict:${flips.length}`, {
      kind: 'verdict-changed',
      message: `${verdict.question} ${last ? `${String(last.details.verdict)} → ` : ''}${verdict.verdict}${reasons}`,
      at: now,
      details: {
        gate: verdict.gate,
        question: verdict.question,
        verdict: verdict.verdict,
        from: last?.details.verdict ?? null,
        reasons: verdict.reasons,
      },
    });
  }

  /** A rollback job of a deploy was started (its row is written): once per job. */
  async rollbackStarted(job: RollbackJobFacts): Promise<void> {
    if (!(await repo.getDeploy(this.db, job.deployId))) return;
    const version = job.plan.calls[0]?.parameters.FunctionVersion;
    await repo.recordOnce(this.db, job.deployId, `rollback-started:${job.id}`, {
      kind: 'rollback-started',
      message: `${job.requestedBy} started rollback job ${job.id}: ${job.kind} ${job.target}, ${job.plan.current} → ${job.plan.desired}`,
      at: this.deps.now(),
      details: {
        jobId: job.id,
        kind: job.kind,
        target: job.target,
        by: job.requestedBy,
        current: job.plan.current,
        desired: job.plan.desired,
        ...(typeof version === 'string' ? { version } : {}),
      },
    });
  }

  /** A rollback of a deploy was refused (409): once per request. */
  async rollbackRefused(refusal: RollbackRefusal): Promise<void> {
    if (!(await repo.getDeploy(this.db, refusal.deployId))) return;
    await repo.recordOnce(this.db, refusal.deployId, `rollback-refused:${refusal.by}:${refusal.requestKey}`, {
      kind: 'rollback-refused',
      message: `Rollback of ${refusal.kind} ${refusal.target} by ${refusal.by} refused (${refusal.code}): ${refusal.message}`,
      at: this.deps.now(),
      details: {
        kind: refusal.kind,
        target: refusal.target,
        by: refusal.by,
        code: refusal.code,
        reason: refusal.message,
      },
    });
  }

  /** The record's events between two times, as markers on the metrics charts. */
  async markers(from: Date, to: Date): Promise<DeployMarker[]> {
    const kinds = Object.keys(recordMarkerKinds);
    const events = await repo.eventsBetween(this.db, from, to, kinds);
    return events.map((e) => toMarker(e.id, e.deployId, e));
  }
}

function toMarker(id: number, deployId: string, e: DeployEvent): DeployMarker {
  const kind = e.kind as RecordEventKind;
  const target = e.details.functionName ?? (e.details.kind === 'lambda' ? e.details.target : null);
  return {
    id: `record-${id}`,
    at: e.at,
    kind: recordMarkerKinds[kind],
    title: `${recordKindWords[kind]}: ${e.message}`,
    functionName: typeof target === 'string' ? target : null,
    source: 'deploy-record',
    detail: `Deploy ${deployId}`,
    deployId,
  };
}
