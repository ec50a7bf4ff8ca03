import type { Sandbox } from '@flightdeck/sandbox';
import { demoUserCookie, demoUsers } from '../platform/auth/demo-users.js';
import { parseConfig, type Role } from '../config.js';
import { startFlightdeck, type RunningFlightdeck } from '../flightdeck.js';

export interface TestApp extends RunningFlightdeck {
  /** Calls the sandbox's control API over HTTP, as a test or a person would. */
  control<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** GET a JSON path of the running BFF, as the demo viewer unless `as` says otherwise. */
  get<T = unknown>(path: string, as?: Role | 'anonymous'): Promise<{ status: number; body: T }>;
  /** The demo user's identity cookie, e.g. for a browser context. */
  identityCookie(role: Role): { name: string; value: string };
  /** Headers that make a change as this role (or nobody): identity and CSRF cookies plus the CSRF token. */
  signIn(role: Role | 'anonymous'): Promise<Record<string, string>>;
}

export function demoUserFor(role: Role) {
  return demoUsers.find((u) => u.role === role)!;
}

/**
 * Starts Flightdeck on the sandbox exactly as `pnpm start` does, on free ports,
 * with short poll intervals and an in-memory store (unless `overrides.store` says otherwise).
 */
export async function buildTestApp(
  overrides: Record<string, unknown> = {},
  /** `logStream`: the app logs there (at `server.logLevel`) instead of not at all. */
  options: { sandbox?: Sandbox; logStream?: NodeJS.WritableStream } = {},
): Promise<TestApp> {
  const config = parseConfig({
    mode: 'sandbox',
    server: { port: 0, logLevel: 'warn' },
    sandbox: { awsPort: 0, dbPort: 0 },
    // A store of its own that goes with the app; tests that restart pass a folder or a server.
    store: { dataDir: 'memory://' },
    intervals: {
      alembicMs: 500,
      rdsMs: 1000,
      metricsMs: 1000,
      logsMs: 1000,
      lambdaMs: 1000,
      migrationsMs: 1000,
    },
    ...overrides,
  });
  const running = await startFlightdeck(config, { logger: options.logStream !== undefined, ...options });
  const awsEndpoint = running.sandbox!.awsEndpoint;
  const identityCookie = (role: Role) => ({
    name: demoUserCookie,
    value: running.app.signCookie(demoUserFor(role).id),
  });
  return {
    ...running,
    async control<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${awsEndpoint}/_sandbox/${path.replace(/^\//, '')}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok)
        throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    identityCookie,
    async get<T>(path: string, as: Role | 'anonymous' = 'viewer') {
      const headers: Record<string, string> =
        as === 'anonymous'
          ? {}
          : { cookie: `${demoUserCookie}=${encodeURIComponent(identityCookie(as).value)}` };
      const response = await fetch(`${running.url}${path}`, { headers });
      return { status: response.status, body: (await response.json()) as T };
    },
    async signIn(role: Role | 'anonymous') {
      const identity =
        role === 'anonymous' ? [] : [`${demoUserCookie}=${encodeURIComponent(identityCookie(role).value)}`];
      const response = await fetch(`${running.url}/api/v1/session`, {
        headers: { cookie: identity.join('; ') },
      });
      const { csrfToken } = (await response.json()) as { csrfToken: string };
      const csrfCookie = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
      return { cookie: [...identity, ...csrfCookie].join('; '), 'x-csrf-token': csrfToken };
    },
  };
}

/** Polls `check` until it returns a value other than undefined (or throws after `timeoutMs`). */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waitFor timed out after ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
