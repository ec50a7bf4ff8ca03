import fp from 'fastify-plugin';
import type { SourceHub } from './source-hub.js';

declare module 'fastify' {
  interface FastifyInstance {
    sources: SourceHub;
  }
}

/** Starts polling when the server is ready and stops it on close; routes only read. */
export const collectorsPlugin = fp<{ hub: SourceHub; autoStart: boolean }>(
  async (app, { hub, autoStart }) => {
    app.decorate('sources', hub);
    if (autoStart) app.addHook('onReady', async () => hub.start());
    app.addHook('onClose', async () => hub.stop());
  },
  { name: 'flightdeck-collectors' },
);
