export interface ClockReading {
  realMs: number;
  scenarioMs: number;
  advancedMs: number;
}

/** Scenario time = a real clock plus however far tests or the demo moved it forward. */
export class ScenarioClock {
  private advancedMs = 0;

  constructor(private readonly realNow: () => number) {}

  now(): number {
    return this.realNow() + this.advancedMs;
  }

  advance(seconds: number): void {
    this.advancedMs += seconds * 1000;
  }

  reset(): void {
    this.advancedMs = 0;
  }

  reading(): ClockReading {
    const realMs = this.realNow();
    return { realMs, scenarioMs: realMs + this.advancedMs, advancedMs: this.advancedMs };
  }
}
