import type { FastifyBaseLogger } from 'fastify';
import type { DeployService } from './deploy-service.js';

/**
 * Evaluates the active deploy's checklist on an interval, one evaluation at a time. Results go to
 * the store, so every replica (and a restarted BFF) shows the same evidence.
 */
export class DeployEvaluator {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deploys: DeployService,
    private readonly intervalMs: number,
    private readonly log: FastifyBaseLogger,
    /** After each evaluation: what happened in the live data, onto the deploy's record. */
    private readonly afterEach: () => Promise<void> = async () => undefined,
    /** Told after each evaluation (the deploy's followers read it again). */
    private readonly evaluated: () => void = () => undefined,
  ) {}

  /** Runs one evaluation now, or joins the one in flight. */
  evaluateNow(): Promise<void> {
    this.running ??= this.deploys
      .evaluate()
      .catch((error: unknown) => this.log.warn({ err: error }, 'deploy checklist evaluation failed'))
      // The record follows the live data even when an item's evaluation failed.
      .then(() => this.afterEach())
      .catch((error: unknown) => this.log.warn({ err: error }, 'deploy record not written'))
      .finally(() => {
        this.running = null;
        this.evaluated();
      });
    return this.running;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.evaluateNow(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
