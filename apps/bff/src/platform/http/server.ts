import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { secretRedactor } from '@flightdeck/core';
import type { FlightdeckConfig } from '../../config.js';
import { auditTrailPlugin } from '../audit/audit-trail.js';
import { authPlugin } from '../auth/auth-plugin.js';
import { trustedProxies } from '../auth/proxy-identity.js';
import { sessionRoutes } from '../auth/session-routes.js';
import { answerErrors, answerUnknownRoutes } from '../errors/error-handler.js';
import { beginLeading, leadershipPlugin } from '../leadership/plugin.js';
import type { Leadership } from '../leadership/leader-election.js';
import { storePlugin } from '../store/store-plugin.js';
import type { Store } from '../store/store.js';
import type { Upstreams } from '../upstreams/upstreams.js';
import { healthRoutes } from './health-routes.js';
import { lazyRequestLogger } from './lazy-request-logger.js';
import { redactingLogOptions } from './own-log-redaction.js';
import { decorateRedaction } from './redacted-text.js';
import { logRequestsWorthReading } from './request-log.js';
import { securityHeaders } from './security-headers.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The whole configuration, resolved at load; each module reads its own section. */
    config: FlightdeckConfig;
  }
}

/** The Fastify instance with logging, security headers, the OpenAPI document and the one error mapping. */
export async function createServer(
  config: FlightdeckConfig,
  options: { logger?: boolean } = {},
): Promise<FastifyInstance> {
  const redact = secretRedactor(config.redaction.secretKeys);
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.server.logLevel,
            ...redactingLogOptions(redact),
            // Flightdeck's own logs never carry credentials or tokens.
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'req.headers["x-amzn-oidc-data"]',
                'req.headers["x-csrf-token"]',
                'res.headers["set-cookie"]',
              ],
              censor: '[REDACTED]',
            },
          },
    // Changes, slow requests and errors only (request-log.ts), not two lines per read; a read that
    // writes no line makes no logger either.
    disableRequestLogging: true,
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: 64 * 1024,
    trustProxy: trustedProxies(config.auth),
    // Live streams never go idle; closing the server must still end them.
    forceCloseConnections: true,
    // Unknown fields are an error, never silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  decorateRedaction(app, redact);
  logRequestsWorthReading(app);
  // Helmet's headers, computed once (security-headers.ts), not per request.
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(swagger, {
    openapi: { info: { title: 'Flightdeck BFF', version: '0.1.0' } },
  });
  answerErrors(app);
  return app;
}

export interface PlatformParts {
  store: Store;
  leadership: Leadership;
  upstreams: Upstreams;
}

/** What every module stands on: the store, identity and roles, leadership, upstreams, health. */
export const platformPlugin = fp<PlatformParts>(
  async (app, { store, leadership, upstreams }) => {
    const config = app.config;
    await app.register(storePlugin, { store });
    await app.register(authPlugin, { config, store: store.db });
    // Before any route: every change, the platform's own included, leaves its audit row.
    await app.register(auditTrailPlugin);
    app.decorate('upstreams', upstreams);
    app.addHook('onClose', async () => upstreams.close());
    await app.register(leadershipPlugin, {
      leadership,
      storeUrl: store.url ?? null,
      replicationFallbackMs: config.store.leaderPollMs * 5,
    });
    await app.register(healthRoutes);
    await app.register(sessionRoutes, { authMode: config.auth.mode });
    app.access.declare({ 'GET /api/docs': 'public' });
    app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'flightdeck-platform' },
);

/** After the modules: the leader starts its duties, and the SPA is served for every other GET. */
export async function finishServer(app: FastifyInstance, webDir: string | undefined): Promise<void> {
  await app.register(beginLeading);
  const spa = webDir && existsSync(webDir) ? webDir : undefined;
  app.access.declare({ 'GET /*': 'public' });
  if (spa) await app.register(fastifyStatic, { root: spa, wildcard: true });
  answerUnknownRoutes(app, spa !== undefined);
}
