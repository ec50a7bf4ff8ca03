import { createHmac, randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import type { FlightdeckConfig, Role } from '../../config.js';
import { AccessTable, isMutation } from './access-rules.js';
import { Forbidden, TooManyRequests, Unauthenticated } from '../errors/errors.js';
import { AlbIdentityResolver } from './alb-identity.js';
import { BearerTokenRefused, BearerTokens, bearerToken, refuseSecondIdentity } from './bearer-tokens.js';
import { AuthenticationError, type Identity, type IdentityResolver } from './identity.js';
import type { Kysely } from 'kysely';
import type { FoundationTables } from '../store/foundation-tables.js';
import { IdempotencyKeys } from './idempotency.js';
import { ProxyIdentityResolver } from './proxy-identity.js';
import { roleAllows, roleFor } from './roles.js';
import { SandboxIdentityResolver } from './sandbox-identity.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
    role: Role | null;
  }
  interface FastifyInstance {
    /** Every route registered with its schema, for the route × role matrix and the fuzz tests. */
    routeList: Array<{ method: string; url: string; schema?: FastifySchema }>;
    /** Who may call what: each module declares its routes' rules before registering them. */
    access: AccessTable;
    /** API tokens (`Authorization: Bearer fd_…`), in every auth mode: the tokens module plugs in its verifier. */
    bearerTokens: BearerTokens;
  }
}

function resolverFor(auth: FlightdeckConfig['auth']): IdentityResolver {
  switch (auth.mode) {
    case 'proxy':
      return new ProxyIdentityResolver(auth.proxy);
    case 'alb':
      return new AlbIdentityResolver(auth.alb);
    case 'sandbox':
      return new SandboxIdentityResolver();
  }
}

/** One change budget per signed-in person (request.ip is the client's when trustProxy names the proxy). */
export function changeLimitKey(request: FastifyRequest): string {
  // An API token has a budget of its own, whatever it is named.
  if (request.identity?.tokenId) return `token:${request.identity.tokenId}`;
  return request.identity ? `${request.identity.via}:${request.identity.user}` : `address:${request.ip}`;
}

/** Whose CSRF token this is: the token is bound to it, so one person's cookie and token fail for another. */
export function csrfOwner(request: FastifyRequest): string {
  // Never empty (the token library refuses an empty owner); "via:user" cannot be "anonymous".
  return request.identity ? `${request.identity.via}:${request.identity.user}` : 'anonymous';
}

/**
 * Cookies only over HTTPS in aws mode, or when the request came over HTTPS (as the trusted proxy
 * says with X-Forwarded-Proto; `request.protocol` believes it only from a trusted proxy).
 */
export function secureCookies(request: FastifyRequest, mode: FlightdeckConfig['mode']): boolean {
  return mode === 'aws' || request.protocol === 'https';
}

/**
 * Who is asking and what they may do, for every route: identity from the configured mode, then for
 * changes the rate limit, the role from config and the access table, then for changes a CSRF token
 * and an Idempotency-Key.
 */
export const authPlugin = fp<{ config: FlightdeckConfig; store: Kysely<FoundationTables> }>(
  async (app, { config, store }) => {
    const auth = config.auth;
    const secret = auth.secret ?? randomBytes(32).toString('hex');
    const resolver = resolverFor(auth);
    const idempotency = new IdempotencyKeys(store);

    await app.register(cookie, { secret });
    await app.register(csrf, {
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/' },
      // One header name, the one the SPA sends (not csrf-token, xsrf-token, x-xsrf-token or _csrf).
      getToken: (request) => {
        const token = request.headers['x-csrf-token'];
        return typeof token === 'string' ? token : undefined;
      },
      // The token carries an HMAC of the person it was issued to (session-routes.ts).
      getUserInfo: csrfOwner,
      csrfOpts: { hmacKey: createHmac('sha256', secret).update('flightdeck csrf').digest() },
    });
    // Registered for its store and its handler only: no route gets a hook of its own (global:
    // false); the limiter is called below, as soon as the person is known.
    await app.register(rateLimit, { global: false });
    const limitChanges = app.rateLimit({
      max: auth.mutationsPerMinute,
      timeWindow: '1 minute',
      // Behind a proxy every person shares its address, so the bucket is the person's; only a
      // request without identity falls back to the client address.
      keyGenerator: changeLimitKey,
      // Thrown by the limiter: answered by the one error handler like every refusal.
      errorResponseBuilder: (_request, context) =>
        new TooManyRequests(
          'RateLimited',
          `Too many changes: at most ${context.max} a minute. Try again in ${Math.ceil(context.ttl / 1000)} s.`,
        ),
    });

    app.decorateRequest('identity', null);
    app.decorateRequest('role', null);

    app.decorate('routeList', []);
    app.decorate('access', new AccessTable());
    const bearerTokens = new BearerTokens();
    app.decorate('bearerTokens', bearerTokens);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        app.routeList.push({ method, url: route.url, schema: route.schema });
        if (!app.access.for(method, route.url)) {
          throw new Error(
            `Route ${method} ${route.url} has no access rule: declare one in its module (app.access.declare) before the route`,
          );
        }
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const url = request.routeOptions.url;
      if (url === undefined) return; // 404: the not-found handler answers.
      const access = app.access.for(request.method, url);
      if (!access) throw new Forbidden('Forbidden', `No access rule for ${request.method} ${url}.`);
      try {
        const token = bearerToken(request);
        if (token !== null) {
          refuseSecondIdentity(request, auth);
          request.identity = await bearerTokens.verify(token, request.ip);
        } else request.identity = await resolver.resolve(request);
      } catch (error) {
        // A refused token is logged by its id (or a short hash), never the secret.
        if (error instanceof BearerTokenRefused)
          request.log.warn(
            { token: error.hint, refusal: error.refusal, from: request.ip },
            `API token refused: ${error.refusal}`,
          );
        if (error instanceof AuthenticationError) throw new Unauthenticated(error.code, error.message);
        throw error;
      }
      // Every change counts, the refused ones too: before role, CSRF and validation, so a script
      // sending a thousand refused changes is stopped like one sending a thousand good ones.
      // Reads are served from the collectors' cache and are not limited.
      if (isMutation(request.method)) await limitChanges.call(app, request, reply);
      request.role = request.identity ? roleFor(request.identity, auth, config.environment) : null;
      if (access !== 'public') {
        if (!request.identity) {
          throw new Unauthenticated(
            'Unauthenticated',
            auth.mode === 'sandbox'
              ? 'Pick a demo user first (POST /api/v1/session/demo-user).'
              : 'No identity on this request: open Flightdeck through the company single sign-on.',
          );
        }
        if (!roleAllows(request.role, access)) {
          throw new Forbidden(
            'Forbidden',
            `${request.identity.name} has role ${request.role ?? 'none'}; ${request.method} ${url} needs ${access}.`,
          );
        }
      }
    });

    // After the role check: a viewer's forged POST is 403 for its role before its token is read.
    // A bearer request carries no cookie for a forged page to ride on: it needs no CSRF token.
    app.addHook('onRequest', (request, reply, done) => {
      if (request.identity?.via === 'token') done();
      else if (request.routeOptions.url !== undefined && isMutation(request.method))
        app.csrfProtection(request, reply, done);
      else done();
    });

    idempotency.register(app);
  },
  { name: 'flightdeck-auth' },
);
