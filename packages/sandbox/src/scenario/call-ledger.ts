export interface CallCounts {
  total: number;
  /** Keyed "Service.Operation", e.g. "CloudWatch.GetMetricData". */
  byOperation: Record<string, number>;
}

/** Every AWS call the sandbox received, faulted or not: proof that polling does not grow with viewers. */
export class CallLedger {
  private counts = new Map<string, number>();
  private total = 0;

  record(service: string, operation: string): void {
    const key = `${service}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total += 1;
  }

  snapshot(): CallCounts {
    return {
      total: this.total,
      byOperation: Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  reset(): void {
    this.counts.clear();
    this.total = 0;
  }
}
