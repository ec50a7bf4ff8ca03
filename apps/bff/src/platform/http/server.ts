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
import {
  answerClientErrors,
  answerErrors,
  answerFrameworkErrors,
  answerUnknownRoutes,
} from '../errors/error-handler.js';
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
import { refuseInvalidText } from './text-check.js';
import { validatorCompiler } from './validation.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The whole configuration, resolved at load; each module reads its own section. */
    config: FlightdeckConfig;
  }
}

/** The Fastify instance with logging, security headers, the OpenAPI document and the one error mapping. */
export async function createServer(
  config: FlightdeckConfig,
  /** `logStream`: where log lines go instead of stdout (a test reading what was logged). */
  options: { logger?: boolean; logStream?: NodeJS.WritableStream } = {},
): Promise<FastifyInstance> {
  const redact = secretRedactor(config.redaction.secretKeys);
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.server.logLevel,
            ...(options.logStream ? { stream: options.logStream } : {}),
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
    // The longest id (a full Lambda ARN, Identifier in contracts); longer answers 414.
    routerOptions: { maxParamLength: 140 },
    trustProxy: trustedProxies(config.auth),
    // Live streams never go idle; closing the server must still end them.
    forceCloseConnections: true,
    // Refusals before a route is chosen (bad URL, over-long parameter) and by Node's HTTP parser
    // (431 and the like) answer in the same {error} body as everything else.
    frameworkErrors: answerFrameworkErrors,
    clientErrorHandler: answerClientErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  // Bodies are validated without type coercion, paths and queries with it (validation.ts).
  app.setValidatorCompiler(validatorCompiler());
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
  refuseInvalidText(app);
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
    // First thing on close, before the modules stop and wait for their work: nothing waits on AWS.
    app.addHook('preClose', async () => upstreams.abandon());
    app.addHook('onClose', async () => upstreams.close());
    await app.register(leadershipPlugin, {
      leadership,
      storeUrl: store.url ?? null,
      replicationFallbackMs: config.store.leaderPollMs * 5,
    });
    await app.register(healthRoutes);
    await app.register(sessionRoutes, { authMode: config.auth.mode });
    // The API's map is for people signed in when Flightdeck faces real AWS.
    app.access.declare({ 'GET /api/docs': config.mode === 'aws' ? 'viewer' : 'public' });
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
