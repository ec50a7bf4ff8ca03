import { createHmac, randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type {
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  onRequestAsyncHookHandler,
  onRequestHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { FlightdeckConfig, Role } from '../../config.js';
import { AccessTable, isMutation, type Access } from './access-rules.js';
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

/** A check every change passes once its person is known and allowed: the refusal, or null. */
export type ChangeGate = (request: FastifyRequest) => Error | null;

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
    /**
     * Adds a check every change passes once its person is known and allowed (the account check:
     * no change while the credentials reach the wrong account). Returns the refusal, or null.
     * Reads run none of them.
     */
    gateChanges(gate: ChangeGate): void;
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

    // Parsed by the identity hooks below, not by a hook of its own on every request.
    await app.register(cookie, { secret, hook: false });
    /** The request's cookies, parsed once: the demo user's, the CSRF secret's. */
    const readCookies = (request: FastifyRequest): void => {
      if (request.cookies) return;
      const header = request.headers.cookie;
      request.cookies = header ? app.parseCookie(header) : {};
    };
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
    const changeGates: ChangeGate[] = [];
    app.decorate('gateChanges', (gate: ChangeGate) => {
      changeGates.push(gate);
    });
    /** Each identity object's role, worked out once (the proxy's identities are reused per person). */
    const roles = new WeakMap<Identity, Role | null>();
    const roleOf = (identity: Identity): Role | null => {
      let role = roles.get(identity);
      if (role === undefined) roles.set(identity, (role = roleFor(identity, auth, config.environment)));
      return role;
    };
    /** The role from config, then the route's rule: throws the refusal (401, 403). */
    const admit = (request: FastifyRequest, access: Access, url: string): void => {
      request.role = request.identity ? roleOf(request.identity) : null;
      if (access === 'public') return;
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
    };
    const refusedIdentity = (request: FastifyRequest, error: unknown): Error => {
      // A refused token is logged by its id (or a short hash), never the secret.
      if (error instanceof BearerTokenRefused)
        request.log.warn(
          { token: error.hint, refusal: error.refusal, from: request.ip },
          `API token refused: ${error.refusal}`,
        );
      return error instanceof AuthenticationError
        ? new Unauthenticated(error.code, error.message)
        : (error as Error);
    };
    /** A bearer token in any auth mode (one identity per request), else the mode's own identity. */
    const resolveIdentity = (request: FastifyRequest): ReturnType<IdentityResolver['resolve']> => {
      readCookies(request);
      const token = bearerToken(request);
      if (token === null) return resolver.resolve(request);
      refuseSecondIdentity(request, auth);
      return bearerTokens.verify(token, request.ip);
    };

    const admitRead = (
      request: FastifyRequest,
      identity: Identity | null,
      access: Access,
      url: string,
      done: (error?: Error) => void,
    ): void => {
      request.identity = identity;
      try {
        admit(request, access, url);
      } catch (error) {
        return done(error as Error);
      }
      done();
    };
    /**
     * A read: identity, role, access. Synchronous when the resolver answers at once (proxy and
     * sandbox identities): no promise per read on the hot path; the ALB's token check is awaited.
     */
    const identifyRead = (access: Access, url: string): onRequestHookHandler =>
      function identifyRead(request, _reply, done) {
        let resolved: ReturnType<IdentityResolver['resolve']>;
        try {
          resolved = resolveIdentity(request);
        } catch (error) {
          return done(refusedIdentity(request, error));
        }
        // No closure per read: only the ALB's awaited check makes one.
        if (!(resolved instanceof Promise)) return admitRead(request, resolved, access, url, done);
        resolved.then(
          (identity) => admitRead(request, identity, access, url, done),
          (error: unknown) => done(refusedIdentity(request, error)),
        );
      };

    /** A change: identity, then the limit, then role and access. */
    const identifyChange = (access: Access, url: string): onRequestAsyncHookHandler =>
      async function identifyChange(request, reply) {
        try {
          request.identity = await resolveIdentity(request);
        } catch (error) {
          throw refusedIdentity(request, error);
        }
        // Every change counts, the refused ones too: before role, CSRF and validation, so a script
        // sending a thousand refused changes is stopped like one sending a thousand good ones.
        // Reads are served from the collectors' cache and are not limited.
        await limitChanges.call(app, request, reply);
        admit(request, access, url);
        for (const gate of changeGates) {
          const refusal = gate(request);
          if (refusal) throw refusal;
        }
      };

    // After the role check: a viewer's forged POST is 403 for its role before its token is read.
    // A bearer request carries no cookie for a forged page to ride on: it needs no CSRF token.
    const checkCsrf: onRequestHookHandler = (request, reply, done) =>
      request.identity?.via === 'token' ? done() : app.csrfProtection(request, reply, done);

    /** The hooks of one method of a route, decided when it is registered, not per request. */
    const hooksFor = (
      method: string,
      url: string,
    ): Array<onRequestHookHandler | onRequestAsyncHookHandler> => {
      const access = app.access.for(method, url);
      if (!access)
        return [
          (request, _reply, done) =>
            done(new Forbidden('Forbidden', `No access rule for ${request.method} ${url}.`)),
        ];
      return isMutation(method) ? [identifyChange(access, url), checkCsrf] : [identifyRead(access, url)];
    };

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
      // Identity and access as the route's own first hooks (issue 23 item 11): reads run one
      // synchronous hook, and the CSRF check is attached to changes only.
      let hooks: Array<onRequestHookHandler | onRequestAsyncHookHandler>;
      // One set for all of its methods when they agree (HEAD and GET of the SPA's catch-all).
      const decisions = new Set(methods.map((m) => `${isMutation(m)} ${app.access.for(m, route.url)}`));
      if (decisions.size === 1) hooks = hooksFor(methods[0]!, route.url);
      else {
        const byMethod = new Map(methods.map((m) => [m, hooksFor(m, route.url)]));
        const runAll = (
          request: FastifyRequest,
          reply: FastifyReply,
          index: number,
          done: (error?: Error) => void,
        ) => {
          const list = byMethod.get(request.method) ?? [];
          if (index >= list.length) return done();
          const next = (error?: Error) => (error ? done(error) : runAll(request, reply, index + 1, done));
          const hook = list[index]!;
          const returned: unknown = (hook as onRequestHookHandler).call(app, request, reply, next);
          if (returned instanceof Promise) returned.then(() => next(), next);
        };
        hooks = [(request, reply, done) => runAll(request, reply, 0, done)];
      }
      const existing =
        route.onRequest === undefined
          ? []
          : Array.isArray(route.onRequest)
            ? route.onRequest
            : [route.onRequest];
      route.onRequest = [...hooks, ...existing] as typeof route.onRequest;
    });

    idempotency.register(app);
  },
  { name: 'flightdeck-auth' },
);
