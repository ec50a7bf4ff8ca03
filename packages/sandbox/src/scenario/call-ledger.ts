export interface CallCounts {
  total: number;
  /** Keyed "Service.Operation", e.g. "CloudWatch.GetMetricData". */
  byOperation: Record<string, number>;
}

/** Every AWS call the sandbox received, faulted or not: proof that polling does not grow with viewers. */
export class CallLedger {
  private counts = new Map<string, number>();
  private patterns = new Map<string, number>();
  private total = 0;

  record(service: string, operation: string): void {
    const key = `${service}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total += 1;
  }

  /** A FilterLogEvents call's filter pattern ('' for none): which tail or panel made the call. */
  recordFilterPattern(pattern: string): void {
    this.patterns.set(pattern, (this.patterns.get(pattern) ?? 0) + 1);
  }

  /** FilterLogEvents calls by filter pattern since the last reset. */
  filterPatterns(): Record<string, number> {
    return Object.fromEntries(this.patterns);
  }

  snapshot(): CallCounts {
    return {
      total: this.total,
      byOperation: Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  reset(): void {
    this.counts.clear();
    this.patterns.clear();
    this.total = 0;
  }
}
