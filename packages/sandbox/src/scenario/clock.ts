export interface ClockReading {
  realMs: number;
  scenarioMs: number;
  advancedMs: number;
  /** Present while the clock is paused: the real time it stopped at. */
  pausedAt?: string;
}

/** Scenario time = a real clock plus however far tests or the demo moved it forward. */
export class ScenarioClock {
  private advancedMs = 0;
  /** Real time the clock was paused at, or null while it runs. */
  private pausedAtMs: number | null = null;

  constructor(private readonly realNow: () => number) {}

  now(): number {
    return (this.pausedAtMs ?? this.realNow()) + this.advancedMs;
  }

  /** Stops scenario time: no new traffic, logs or metrics until resume(). */
  pause(): void {
    this.pausedAtMs ??= this.realNow();
  }

  /** Runs again from the real clock, as if never paused (the paused minutes' traffic appears). */
  resume(): void {
    this.pausedAtMs = null;
  }

  /** How long the clock has been paused, in ms (0 while it runs). */
  pausedForMs(): number {
    return this.pausedAtMs === null ? 0 : Math.max(0, this.realNow() - this.pausedAtMs);
  }

  advance(seconds: number): void {
    this.advancedMs += seconds * 1000;
  }

  reset(): void {
    this.advancedMs = 0;
    this.pausedAtMs = null;
  }

  reading(): ClockReading {
    const realMs = this.realNow();
    const reading: ClockReading = { realMs, scenarioMs: this.now(), advancedMs: this.advancedMs };
    if (this.pausedAtMs !== null) reading.pausedAt = new Date(this.pausedAtMs).toISOString();
    return reading;
  }
}
