import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { redactSecrets, secretRedactor } from '@flightdeck/core';
import { authPlugin } from '../auth/auth-plugin.js';
import { trustedProxies } from '../auth/proxy-identity.js';
import { redactingLogOptions } from './own-log-redaction.js';
import type { MigrationHistoryData } from '@flightdeck/contracts';
import type { Collector } from '../sources/collector.js';
import { accountCheckPlugin } from '../../modules/account/account-check.js';
import { collectorsPlugin } from '../../modules/overview/plugin.js';
import { liveDataPlugin, type LiveData } from '../../modules/metrics/live-data.js';
import type { SourceHub } from '../../modules/overview/source-hub.js';
import type { FlightdeckConfig } from '../../config.js';
import type { AccountIdentitySource } from '../../modules/account/account-identity-source.js';
import { logRequestsWorthReading } from './request-log.js';
import { securityHeaders } from './security-headers.js';
import type { DeployService } from '../../modules/deploys/deploy-service.js';
import { deployRoutes } from '../../modules/deploys/deploys-routes.js';
import { eventRoutes } from '../../modules/overview/events-routes.js';
import { healthRoutes } from './health-routes.js';
import { logRoutes } from '../../modules/logs/logs-routes.js';
import { metricsRoutes } from '../../modules/metrics/metrics-routes.js';
import { migrationRoutes } from '../../modules/migrations/migrations-routes.js';
import { overviewRoutes } from '../../modules/overview/overview-routes.js';
import { rollbackRoutes } from '../../modules/rollbacks/rollbacks-routes.js';
import { auditRoutes } from '../../modules/audit/audit-routes.js';
import { auditTrailPlugin } from '../../modules/audit/audit-trail.js';
import { StoreAuditLog } from '../../modules/audit/store/store-audit-log.js';
import { storePlugin, storeUnavailable } from '../store/store-plugin.js';
import { isStoreUnavailable } from '../store/store-error.js';
import type { Store } from '../store/store.js';
import type { RollbackService } from '../../modules/rollbacks/rollback-service.js';
import { sandboxScenarioRoutes, type ScenarioControl } from '../../modules/sandbox/scenario-routes.js';
import { sessionRoutes } from '../auth/session-routes.js';
import { replicaRoutes } from '../leadership/replica-routes.js';
import type { Leadership } from '../leadership/leader-election.js';

export interface ServerDeps {
  hub: SourceHub;
  /** Metric windows, log tails and deploy markers, opened on demand; absent in tests that don't need them. */
  live?: LiveData;
  /** The built SPA; absent in API-only tests. */
  webDir?: string;
  /** Sandbox mode: the scenario the SPA's panel plays. Absent otherwise, and so are its routes. */
  scenario?: ScenarioControl;
  /** Start polling on ready (tests may drive refreshes themselves). */
  autoStart?: boolean;
  logger?: boolean;
  /** The Migration History collector (started by its owner); absent, and so is its route, in tests that don't need it. */
  migrations?: Collector<MigrationHistoryData>;
  /** Which account the credentials reach (STS); absent in tests that don't need it. */
  account?: AccountIdentitySource;
  /** Deploys and their checklist, on the store. */
  deploys: DeployService;
  /** Rollbacks (preview, start, follow); absent, and so are their routes, in tests that don't need them. */
  rollbacks?: RollbackService;
  /** Flightdeck's own store: idempotency keys, the audit log, deploys, rollback jobs. */
  store: Store;
  /** Which replica leads the collectors; absent, and so is GET /api/v1/replica, in tests that don't need it. */
  leadership?: Leadership;
}

/** Registers plugins in order — external, Flightdeck's own, routes — and returns the instance unstarted. */
export async function buildServer(config: FlightdeckConfig, deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: config.server.logLevel,
            ...redactingLogOptions(secretRedactor(config.redaction.secretKeys)),
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
    // Changes, slow requests and errors only (request-log.ts), not two lines per read.
    disableRequestLogging: true,
    bodyLimit: 64 * 1024,
    trustProxy: trustedProxies(config.auth),
    // Live streams never go idle; closing the server must still end them.
    forceCloseConnections: true,
    // Unknown fields are an error, never silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

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

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (isStoreUnavailable(error)) return storeUnavailable(reply, error);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply
        .code(status)
        .send({ error: { code: 'InternalError', message: 'Flightdeck failed to answer; see its log.' } });
    }
    const built = (error as { error?: { code?: string; message?: string } }).error;
    if (built?.code)
      return reply.code(status).send({ error: { code: built.code, message: built.message ?? '' } });
    if (error.code?.startsWith('FST_CSRF')) {
      return reply.code(403).send({
        error: {
          code: 'CsrfTokenInvalid',
          message: 'Missing or invalid CSRF token (x-csrf-token); reload the page and try again.',
        },
      });
    }
    const code = error.validation ? 'ValidationError' : (error.code ?? 'BadRequest');
    return reply.code(status).send({ error: { code, message: redactSecrets(error.message) } });
  });

  await app.register(storePlugin, { store: deps.store });
  await app.register(authPlugin, { config, store: deps.store.db });
  const audit = new StoreAuditLog(deps.store.db);
  await app.register(auditTrailPlugin, { audit });
  await app.register(auditRoutes, { audit });
  await app.register(collectorsPlugin, {
    hub: deps.hub,
    autoStart: deps.autoStart ?? true,
    environment: config.environment,
  });
  if (deps.live) await app.register(liveDataPlugin, { live: deps.live, autoStart: deps.autoStart ?? true });
  if (deps.account) {
    const { hub, live, migrations } = deps;
    await app.register(accountCheckPlugin, {
      source: deps.account,
      region: config.aws.region,
      expectedAccount: config.aws.expectedAccountId ?? null,
      intervalMs: config.intervals.accountMs,
      autoStart: deps.autoStart ?? true,
      stopCollectors: async () => {
        await Promise.all([hub.stop(), live?.stop(), migrations?.stop()]);
      },
      startCollectors: () => {
        hub.start();
        live?.start();
        migrations?.start();
      },
    });
  }
  await app.register(healthRoutes);
  await app.register(sessionRoutes, { authMode: config.auth.mode });
  if (deps.leadership) await app.register(replicaRoutes, { leadership: deps.leadership });
  await app.register(overviewRoutes);
  await app.register(eventRoutes);
  if (deps.migrations)
    await app.register(migrationRoutes, { environment: config.environment, history: deps.migrations });
  if (deps.live) {
    await app.register(metricsRoutes);
    await app.register(logRoutes);
  }
  await app.register(deployRoutes, { deploys: deps.deploys });
  if (deps.rollbacks) await app.register(rollbackRoutes, { rollbacks: deps.rollbacks });
  if (deps.scenario) {
    await app.register(sandboxScenarioRoutes, {
      scenario: deps.scenario,
      alsoRefresh: deps.migrations ? [deps.migrations] : [],
    });
  }
  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());

  const webDir = deps.webDir && existsSync(deps.webDir) ? deps.webDir : undefined;
  if (webDir) await app.register(fastifyStatic, { root: webDir, wildcard: true });

  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    if (webDir && request.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/_')) {
      // Client-side routes (/migrations, /logs …) are the SPA's.
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ error: { code: 'NotFound', message: `No route ${request.method} ${url}` } });
  });

  return app;
}
