export type TimelineEventKind =
  | 'function-deployed'
  | 'version-published'
  | 'alias-changed'
  | 'migration-applied'
  | 'snapshot-created'
  | 'snapshot-available'
  | 'restore-started'
  | 'restore-available';

export interface TimelineEvent {
  at: string;
  kind: TimelineEventKind;
  detail: string;
  /** What the event is about: a function, a revision, a snapshot or an instance. */
  subject?: string;
  /** Its new value where there is one, e.g. the version an alias now points to. */
  value?: string;
}

interface RecordedEvent {
  atMs: number;
  kind: TimelineEventKind;
  detail: string;
  subject?: string;
  value?: string;
}

/**
 * What happened during the deploy, in scenario time. Metrics and logs read it "as of" each
 * timestamp; events can be recorded ahead of time (a snapshot finishing in 60 s) and only
 * show once the clock reaches them.
 */
export class Timeline {
  private events: RecordedEvent[] = [];

  record(atMs: number, kind: TimelineEventKind, detail: string, subject?: string, value?: string): void {
    const event: RecordedEvent = { atMs, kind, detail };
    if (subject !== undefined) event.subject = subject;
    if (value !== undefined) event.value = value;
    // Kept sorted by time; equal times keep insertion order.
    let i = this.events.length;
    while (i > 0 && this.events[i - 1]!.atMs > atMs) i--;
    this.events.splice(i, 0, event);
  }

  clear(): void {
    this.events = [];
  }

  /** Events that have happened by `nowMs`, oldest first. */
  until(nowMs: number): TimelineEvent[] {
    return this.events
      .filter((e) => e.atMs <= nowMs)
      .map(({ atMs, ...rest }) => ({ at: new Date(atMs).toISOString(), ...rest }));
  }

  /** The latest event of this kind (and subject) at or before `atMs`. */
  latest(
    kind: TimelineEventKind,
    atMs: number,
    subject?: string,
  ): { atMs: number; value?: string } | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.atMs <= atMs && e.kind === kind && (subject === undefined || e.subject === subject)) return e;
    }
    return undefined;
  }

  /** Times at which events of this kind (and subject) happen, within [fromMs, toMs). */
  changesBetween(kind: TimelineEventKind, subject: string, fromMs: number, toMs: number): number[] {
    return this.events
      .filter((e) => e.kind === kind && e.subject === subject && e.atMs >= fromMs && e.atMs < toMs)
      .map((e) => e.atMs);
  }
}
