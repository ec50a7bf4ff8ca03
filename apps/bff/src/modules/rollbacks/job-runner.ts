// Runs rollback jobs in the background, one run per job per process, and on start resumes
// every unfinished job from the step it reached.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RDSClient } from '@aws-sdk/client-rds';
import { runFrontendRollback } from './frontend-rollback.js';
import { JobContext } from './job-context.js';
import { runLambdaRollback } from './lambda-rollback.js';
import { runRdsRollback } from './rds-rollback.js';
import type { RollbackRepository, StoredRollback } from './rollback-jobs.js';
import { StoppingError } from '../../platform/upstreams/shutdown-signal.js';

export interface JobRunnerDeps {
  repository: RollbackRepository;
  readers: { lambda: LambdaClient; rds: RDSClient };
  mutations: { lambda: LambdaClient; rds: RDSClient };
  pollMs: number;
  onError?: (error: unknown, jobId: string) => void;
  /** The upstream's clock for step times (scenario time in the sandbox), so they line up with its metrics. */
  now?: () => Date;
  /** Called when a job's run ends: verifying, cut-over pending, succeeded or failed. */
  onFinished?: (stored: StoredRollback) => void;
}

export class JobRunner {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  /** Wakes the jobs sleeping between two polls, so stopping does not wait out a poll interval. */
  private readonly wakeSleepers = new Set<() => void>();

  constructor(private readonly deps: JobRunnerDeps) {}

  start(stored: StoredRollback): void {
    if (this.stopped || this.running.has(stored.job.id)) return;
    const run = this.run(stored).finally(() => this.running.delete(stored.job.id));
    this.running.set(stored.job.id, run);
  }

  /** Picks up every unfinished job: left by a previous process, or accepted by a follower replica. */
  async resumeUnfinished(): Promise<void> {
    // A job running here when the query starts may end before it answers, its row read as still
    // running: it is skipped, never started again from that stale row.
    const runningBefore = new Set(this.running.keys());
    for (const stored of await this.deps.repository.unfinished())
      if (!runningBefore.has(stored.job.id)) this.start(stored);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakeSleepers) wake();
    await Promise.allSettled(this.running.values());
  }

  /** Resolves when the job's current run ends (tests). */
  settled(id: string): Promise<void> {
    return this.running.get(id) ?? Promise.resolve();
  }

  private async run(stored: StoredRollback): Promise<void> {
    const context = new JobContext(stored, this.deps.repository, this.deps.now);
    try {
      if (stored.job.kind === 'lambda')
        await runLambdaRollback(context, this.deps.readers.lambda, this.deps.mutations.lambda);
      else if (stored.job.kind === 'rds')
        await runRdsRollback(context, this.deps.readers.rds, this.deps.mutations.rds, {
          pollMs: this.deps.pollMs,
          sleep: (ms) => this.sleep(ms),
          keepGoing: () => !this.stopped,
        });
      else await runFrontendRollback(context);
    } catch (error) {
      this.deps.onError?.(error, stored.job.id);
      // Abandoned by a shutdown, the job is not failed: it stays running and resumes on the next start.
      if (!this.stopped && !(error instanceof StoppingError))
        await context.fail(`Stopped: ${(error as Error).message}`).catch(() => undefined);
    }
    if (['succeeded', 'failed', 'cut-over-pending', 'verifying'].includes(stored.job.state))
      this.deps.onFinished?.(stored);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.add(wake);
    });
  }
}
