// The composition root: load nothing itself; open the store, start the upstreams, register the
// platform, then the feature modules, and listen. What each feature does lives in modules/.
import { fileURLToPath } from 'node:url';
import type { Sandbox } from '@flightdeck/sandbox';
import { initSqlParser } from '@flightdeck/core';
import type { FastifyInstance } from 'fastify';
import type { FlightdeckConfig } from './config.js';
import { featureModules, storeMigrations } from './modules.js';
import { createLeadership, type Leadership } from './platform/leadership/leader-election.js';
import { createServer, finishServer, platformPlugin } from './platform/http/server.js';
import { closeWithin } from './platform/http/stop-within.js';
import { openStore, type Store } from './platform/store/store.js';
import { createUpstreams } from './platform/upstreams/upstreams.js';

export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface RunningFlightdeck {
  url: string;
  app: FastifyInstance;
  /** Deploys and their checklist evaluator. */
  deploys: FastifyInstance['deploys'];
  store: Store;
  /** Which replica leads the collectors (on the embedded store: this one). */
  leadership: Leadership;
  config: FlightdeckConfig;
  sandbox: Sandbox | null;
  /** Stops within a few seconds: 'finished' when all work ended in the grace, else 'abandoned'. */
  close(): Promise<'finished' | 'abandoned'>;
}

export interface StartOptions {
  webDir?: string;
  logger?: boolean;
  /** Log lines go here instead of stdout. */
  logStream?: NodeJS.WritableStream;
  /** A sandbox already running (a BFF restarted mid-scenario); it outlives this BFF. */
  sandbox?: Sandbox;
}

/** Everything `pnpm start` runs, also used by tests with port 0: store, upstreams, server, listen. */
export async function startFlightdeck(
  baseConfig: FlightdeckConfig,
  options: StartOptions = {},
): Promise<RunningFlightdeck> {
  // The migration analyzer needs the PostgreSQL parser (WASM) loaded once, before any analysis.
  await initSqlParser();
  // The store first: if it cannot be used, nothing else is started.
  const store = await openStore({
    url: baseConfig.store.url,
    dataDir: baseConfig.store.dataDir,
    migrations: storeMigrations,
  });
  let sandbox: Sandbox | null = null;
  try {
    // In sandbox mode the local AWS and demo database stand in for the real ones, reached the same way.
    const local =
      baseConfig.mode === 'sandbox'
        ? await (
            await import('./modules/sandbox/sandbox-upstreams.js')
          ).startSandboxUpstreams(baseConfig, options.sandbox)
        : null;
    sandbox = local?.sandbox ?? null;
    const config = local?.config ?? baseConfig;
    // The sandbox's data runs on its scenario clock, ahead of ours once advanced: windows follow it.
    const now = sandbox ? () => new Date(sandbox!.scenario.now()) : () => new Date();
    const upstreams = createUpstreams(config, { ...(local ? { credentials: local.credentials } : {}), now });
    const app = await createServer(config, { logger: options.logger, logStream: options.logStream });
    const leadership = createLeadership(store.url, config.store, app.log);

    await app.register(platformPlugin, { store, leadership, upstreams });
    for (const module of featureModules) await app.register(module);
    if (local)
      await app.register((await import('./modules/sandbox/plugin.js')).sandboxModule, {
        scenario: local.scenario,
      });
    await finishServer(app, options.webDir ?? config.server.webDir ?? defaultWebDir);

    const address = await app.listen({ host: config.server.host, port: config.server.port });
    return {
      url: address.replace('127.0.0.1', 'localhost'),
      app,
      deploys: app.deploys,
      store,
      leadership,
      config,
      sandbox,
      async close() {
        const outcome = await closeWithin(app);
        await store.close();
        if (!options.sandbox) await sandbox?.close();
        return outcome;
      },
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    if (!options.sandbox) await sandbox?.close().catch(() => undefined);
    throw error;
  }
}
