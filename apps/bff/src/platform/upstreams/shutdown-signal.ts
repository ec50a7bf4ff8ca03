/** What an abandoned call fails with: said once, recognisable in logs. */
export class StoppingError extends Error {
  override name = 'StoppingError';
  constructor() {
    super('Flightdeck is stopping; the call was abandoned.');
  }
}

/** Any SDK v3 client (method syntax: each client's own middleware types are accepted). */
interface AnyClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; priority: 'high'; name: string }): void;
  };
}

/**
 * Makes every call through an SDK client give up when `signal` aborts (shutdown): one not yet sent
 * is refused, one in flight or waiting for a budget or a retry is answered at once with
 * StoppingError, whatever AWS does. Whoever waited on it (a collector, a tail, a job) ends, and a
 * job's row tells the next start where it was.
 */
export function abandonOnStop(client: AnyClient, signal: AbortSignal): void {
  const stopped = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(new StoppingError());
    else signal.addEventListener('abort', () => reject(new StoppingError()), { once: true });
  });
  // Never unhandled: each call below races it.
  stopped.catch(() => undefined);
  const middleware = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
    if (signal.aborted) throw new StoppingError();
    return Promise.race([next(args), stopped]);
  };
  client.middlewareStack.add(middleware, {
    step: 'initialize',
    priority: 'high',
    name: 'flightdeckAbandonOnStop',
  });
}
