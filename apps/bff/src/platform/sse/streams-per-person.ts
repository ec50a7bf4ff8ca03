/**
 * Live streams one person holds open at once (event streams, log tails): each costs the server a
 * socket, a buffer and a share of what it polls, so one person (or a runaway script) cannot take
 * what everyone else needs. Counted from acceptance until the stream closes, per replica.
 */
export class StreamsPerPerson {
  private readonly open = new Map<string, number>();

  constructor(
    readonly limit: number,
    /** The error to throw over the limit (a named 429 that says the cap). */
    private readonly refusal: (limit: number) => Error,
  ) {}

  /** Streams `person` holds now. */
  count(person: string): number {
    return this.open.get(person) ?? 0;
  }

  /** Counts one more stream for `person`, or throws the refusal; the returned release is idempotent. */
  acquire(person: string): () => void {
    const held = this.count(person);
    if (held >= this.limit) throw this.refusal(this.limit);
    this.open.set(person, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(person) - 1;
      if (left > 0) this.open.set(person, left);
      else this.open.delete(person);
    };
  }
}
