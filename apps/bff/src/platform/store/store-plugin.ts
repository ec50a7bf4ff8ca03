import fp from 'fastify-plugin';
import type { Store } from './store.js';

/** Makes the store reachable as `app.store` (for /readyz and routes) and closes it last. */
export const storePlugin = fp<{ store: Store }>(
  async (app, { store }) => {
    app.decorate('store', store);
  },
  { name: 'flightdeck-store' },
);

/** Pings the store, giving up after `timeoutMs` (a server that stopped answering may never reply). */
export async function storeAnswers(store: Store, timeoutMs = 2_000): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    clearTimeout(timer);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}
