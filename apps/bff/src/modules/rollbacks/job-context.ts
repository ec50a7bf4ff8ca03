import type { RollbackJob, RollbackStep } from '@flightdeck/contracts';
import type { RollbackRepository, StoredRollback } from './rollback-jobs.js';

/** What an executor uses to record progress: every step change is saved before the next call to AWS. */
export class JobContext {
  constructor(
    readonly stored: StoredRollback,
    private readonly repository: RollbackRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get job(): RollbackJob {
    return this.stored.job;
  }

  step(name: string): RollbackStep {
    const step = this.job.steps.find((s) => s.name === name);
    if (!step) throw new Error(`job ${this.job.id} has no step ${name}`);
    return step;
  }

  async mark(name: string, state: RollbackStep['state'], detail: string | null): Promise<void> {
    const step = this.step(name);
    step.state = state;
    step.detail = detail;
    step.updatedAt = this.now().toISOString();
    if (this.job.state === 'pending') this.job.state = 'running';
    await this.repository.save(this.stored);
  }

  async update(change: (job: RollbackJob) => void): Promise<void> {
    change(this.job);
    await this.repository.save(this.stored);
  }

  async fail(message: string): Promise<void> {
    for (const step of this.job.steps) if (step.state === 'running') step.state = 'failed';
    this.job.state = 'failed';
    this.job.error = message;
    await this.repository.save(this.stored);
  }

  /** RDS: restored and verified; the job ends when ops mark the cut-over done. */
  async awaitCutOver(): Promise<void> {
    this.job.state = 'cut-over-pending';
    await this.repository.save(this.stored);
  }

  /** Lambda: the alias points to the target; the job verifies once a minute of traffic follows the change. */
  async verifying(): Promise<void> {
    this.job.state = 'verifying';
    await this.repository.save(this.stored);
  }

  async succeed(): Promise<void> {
    this.job.state = 'succeeded';
    await this.repository.save(this.stored);
  }
}

export const pendingSteps = (names: string[]): RollbackStep[] =>
  names.map((name) => ({ name, state: 'pending', detail: null, updatedAt: null }));
