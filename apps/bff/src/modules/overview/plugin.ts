import fp from 'fastify-plugin';
import { PublishedOverview } from './published-overview.js';
import type { SourceHub } from './source-hub.js';

declare module 'fastify' {
  interface FastifyInstance {
    sources: SourceHub;
    /** The overview as viewers get it: serialized, compressed and streamed once per change. */
    published: PublishedOverview;
  }
}

/** Starts polling when the server is ready and stops it on close; routes only read. */
export const collectorsPlugin = fp<{ hub: SourceHub; autoStart: boolean; environment: string }>(
  async (app, { hub, autoStart, environment }) => {
    app.decorate('sources', hub);
    const published = new PublishedOverview(hub, environment);
    app.decorate('published', published);
    app.addHook('onClose', async () => published.close());
    if (autoStart) app.addHook('onReady', async () => hub.start());
    app.addHook('onClose', async () => hub.stop());
  },
  { name: 'flightdeck-collectors' },
);
