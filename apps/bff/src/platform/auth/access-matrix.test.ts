import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../config.js';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';
import { isMutation } from './access-rules.js';

const accessRuleFile = "its module's access table (app.access.declare)";

type Caller = 'anonymous' | Role;
const callers: Caller[] = ['anonymous', 'viewer', 'lead', 'ops'];
const rank: Record<Caller, number> = { anonymous: 0, viewer: 1, lead: 2, ops: 3 };

/**
 * Who may call what, written out by hand — deliberately NOT derived from the access table, so a
 * wrong or loosened rule there fails this test. A new route needs a rule in access-rules.ts AND a
 * row here: the lowest caller allowed ('public' = anyone, else viewer < lead < ops).
 */
const expectedMatrix: Record<string, 'public' | Role> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/docs': 'public',
  'GET /*': 'public',
  'GET /api/v1/session': 'public',
  'POST /api/v1/session/demo-user': 'public',
  'DELETE /api/v1/session/demo-user': 'public',
  'GET /api/v1/overview': 'viewer',
  'GET /api/v1/account': 'viewer',
  'GET /api/v1/replica': 'viewer',
  'GET /api/v1/events': 'viewer',
  'GET /api/v1/migrations': 'viewer',
  'GET /api/v1/metrics': 'viewer',
  'GET /api/v1/logs': 'viewer',
  'GET /api/v1/logs/:functionName/tail': 'viewer',
  'GET /api/v1/sandbox/state': 'viewer',
  'POST /api/v1/sandbox/migrations/apply': 'ops',
  'POST /api/v1/sandbox/faults': 'ops',
  'DELETE /api/v1/sandbox/faults': 'ops',
  'POST /api/v1/sandbox/clock/advance': 'ops',
  'POST /api/v1/sandbox/functions/:functionName/errors': 'ops',
  'POST /api/v1/sandbox/reset': 'ops',
  'POST /api/v1/sandbox/db/long-transaction': 'ops',
  'DELETE /api/v1/sandbox/db/long-transaction': 'ops',
  'GET /api/v1/database/locks': 'viewer',
  'GET /api/v1/deploys/:id/locks': 'viewer',
  'GET /api/v1/deploys': 'viewer',
  'GET /api/v1/deploys/:id': 'viewer',
  'GET /api/v1/deploys/prepare-preview': 'viewer',
  'GET /api/v1/deploys/:id/report': 'viewer',
  'GET /api/v1/deploys/:id/events': 'viewer',
  'POST /api/v1/deploys': 'ops',
  'POST /api/v1/deploys/:id/items/:itemId/sign-off': 'lead',
  'POST /api/v1/deploys/:id/items/:itemId/revoke': 'lead',
  'POST /api/v1/deploys/:id/migration': 'ops',
  'POST /api/v1/deploys/:id/released': 'ops',
  'POST /api/v1/deploys/:id/finish': 'lead',
  'POST /api/v1/deploys/:id/cancel': 'ops',
  'POST /api/v1/rollbacks/preview': 'ops',
  'POST /api/v1/rollbacks': 'ops',
  'GET /api/v1/rollbacks': 'viewer',
  'GET /api/v1/rollbacks/:id': 'viewer',
  'POST /api/v1/rollbacks/:id/cut-over': 'ops',
  'GET /api/v1/audit': 'lead',
  // Deliveries name the team's webhooks and their receivers' answers: ops, who configure them.
  'GET /api/v1/notifications': 'ops',
  'POST /api/v1/notifications/:id/resend': 'ops',
  // API tokens act for pipelines with up to ops' powers: only ops issue, see and revoke them.
  'POST /api/v1/tokens': 'ops',
  'GET /api/v1/tokens': 'ops',
  'DELETE /api/v1/tokens/:id': 'ops',
};
const matrixFile = 'apps/bff/src/platform/auth/access-matrix.test.ts';

/** A concrete path for a route pattern: parameters get a plausible value. */
const concrete = (url: string) =>
  url.replace(/:(\w+)/g, (_m, name: string) => `sample-${name}`).replace('*', 'index.html');

/** The status the access table promises; undefined where the route itself decides (any non-auth answer). */
function expectedDenial(access: string, caller: Caller): 401 | 403 | undefined {
  if (access === 'public') return undefined;
  if (caller === 'anonymous') return 401;
  return rank[caller] >= rank[access as Role] ? undefined : 403;
}

describe('route × role matrix', () => {
  let app: TestApp;
  const headersFor = new Map<Caller, Record<string, string>>();

  beforeAll(async () => {
    app = await buildTestApp();
    // Everyone holds a valid CSRF token, so the matrix measures the role alone.
    for (const caller of callers) headersFor.set(caller, await app.signIn(caller));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has an access rule for every registered route', () => {
    expect(app.app.routeList.length).toBeGreaterThan(5);
    const missing = app.app.routeList.filter((r) => !app.app.access.for(r.method, r.url));
    expect(missing).toEqual([]);
  });

  it('holds every route to the hand-written expected matrix', () => {
    const problems: string[] = [];
    for (const route of app.app.routeList) {
      const key = `${route.method} ${route.url}`;
      const want = expectedMatrix[key];
      const rule = app.app.access.for(route.method, route.url);
      if (want === undefined)
        problems.push(
          `${key} has no row in the expected matrix: add \`'${key}': '<public|viewer|lead|ops>',\` to expectedMatrix in ${matrixFile} (who may call it, decided by hand), besides its rule in ${accessRuleFile}`,
        );
      else if (rule !== want)
        problems.push(
          `${key}: ${accessRuleFile} says '${rule}', the expected matrix in ${matrixFile} says '${want}'; fix whichever is wrong`,
        );
    }
    expect(problems).toEqual([]);
  });

  it('answers every route as the expected matrix says for anonymous, viewer, lead and ops', async () => {
    const table: string[] = [];
    const mismatches: string[] = [];
    for (const route of app.app.routeList) {
      const access =
        expectedMatrix[`${route.method} ${route.url}`] ?? app.app.access.for(route.method, route.url)!;
      const row: string[] = [];
      for (const caller of callers) {
        const controller = new AbortController();
        const response = await fetch(`${app.url}${concrete(route.url)}`, {
          method: route.method,
          headers: {
            ...headersFor.get(caller),
            ...(isMutation(route.method)
              ? {
                  'content-type': 'application/json',
                  'idempotency-key': `matrix-${caller}-${Math.random().toString(36).slice(2)}`,
                }
              : {}),
          },
          body: isMutation(route.method) ? '{}' : undefined,
          signal: controller.signal,
        });
        // Streams (SSE) answer with headers first; the status is all we need.
        controller.abort();
        const want = expectedDenial(access, caller);
        const ok =
          want === undefined
            ? response.status !== 401 && response.status !== 403 && response.status < 500
            : response.status === want;
        if (!ok)
          mismatches.push(
            `${route.method} ${route.url} as ${caller}: ${response.status}, expected ${want ?? 'allowed'}`,
          );
        row.push(`${caller}=${response.status}`);
      }
      table.push(`${route.method.padEnd(6)} ${route.url.padEnd(40)} ${access.padEnd(7)} ${row.join(' ')}`);
    }
    console.log(`route × role matrix:\n${table.join('\n')}`);
    expect(mismatches).toEqual([]);
  });
});
