// Verification is part of a job's state: a Lambda rollback whose alias points to the target stays
// `verifying` until the function has a whole minute of traffic after the change, then ends
// `succeeded` (the error rate fell or stayed at zero) or `failed` (it did not). Run by the leader;
// the verdict is saved only if the row is still verifying, so it is given once across replicas.
import type { MetricPoint } from '@flightdeck/contracts';
import { errorRateAfterRollback } from '@flightdeck/core';
import type { RollbackRepository, StoredRollback } from './rollback-jobs.js';

export interface JobVerifierDeps {
  repository: RollbackRepository;
  /** A function's per-minute metrics as the collectors hold them now. */
  metricsOf(functionName: string): MetricPoint[] | null;
  /** Told once per job when its verdict is saved. */
  onVerified(stored: StoredRollback): void;
}

/** The job's times for the error-rate check: its first step and the last step's end. */
export function rollbackTimes(stored: StoredRollback): { started: string; finished: string } | null {
  const started = stored.job.steps[0]?.updatedAt;
  const finished = stored.job.steps.at(-1)?.updatedAt;
  return started && finished ? { started, finished } : null;
}

export class JobVerifier {
  private running: Promise<void> | null = null;

  constructor(private readonly deps: JobVerifierDeps) {}

  /** Judges every verifying job that has its minute of traffic; joins a pass in flight. */
  verifyAll(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    for (const stored of await this.deps.repository.verifying()) {
      const series = this.deps.metricsOf(stored.job.target);
      const times = rollbackTimes(stored);
      if (!series || !times) continue;
      const check = errorRateAfterRollback(series, times.started, times.finished);
      if (check.pending) continue;
      const job = stored.job;
      job.verification = [...job.verification.filter((v) => v.check !== 'error rate'), check];
      job.state = check.ok ? 'succeeded' : 'failed';
      job.error = check.ok ? null : `Verification failed: ${check.detail}`;
      if (await this.deps.repository.finishVerification(stored)) this.deps.onVerified(stored);
    }
  }
}
