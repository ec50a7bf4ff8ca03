// Issue 23 item 11: reads at full speed. What a change needs (the change limit, CSRF, the
// Idempotency-Key, the audit row) is attached to the changing routes when they are registered;
// a read runs one identity hook (synchronous for proxy and sandbox identities) and none of those.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMutation } from './access-rules.js';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
}, 60_000);
afterAll(async () => app?.close());

/** Each route's method and the names of its hooks, read from Fastify's own route table. */
function routeHooks(): Array<{ route: string; method: string; hooks: string[] }> {
  const lines = app.app.printRoutes({ includeHooks: true, commonPrefix: false }).split('\n');
  const routes: Array<{ route: string; method: string; hooks: string[] }> = [];
  for (const line of lines) {
    const route = /(\S+) \(([A-Z, ]+)\)\s*$/.exec(line);
    if (route) {
      routes.push({ route: route[1]!, method: route[2]!, hooks: [] });
      continue;
    }
    const hooks = /• \((\w+)\) (\[.*\])/.exec(line);
    if (hooks && routes.length > 0)
      routes.at(-1)!.hooks.push(...(JSON.parse(hooks[2]!) as string[]).map((h) => `${hooks[1]}:${h}`));
  }
  return routes;
}

const changeOnly = [
  'onRequest:identifyChange()',
  'onRequest:checkCsrf()',
  'preHandler:admitChange()',
  'onSend:rememberAnswer()',
  'onSend:noteOutcome()',
  'onResponse:auditRow()',
];

describe('hooks per route', () => {
  it('reads run the read identity hook and none of the change hooks; changes run all of them', () => {
    const routes = routeHooks();
    const changing = (r: { method: string }) => r.method.split(', ').some(isMutation);
    const reads = routes.filter((r) => !changing(r));
    const changes = routes.filter(changing);
    expect(reads.length).toBeGreaterThan(10);
    expect(changes.length).toBeGreaterThan(5);
    for (const read of reads) {
      expect(read.hooks, `${read.method} ${read.route}`).toContain('onRequest:identifyRead()');
      for (const hook of changeOnly) expect(read.hooks, `${read.method} ${read.route}`).not.toContain(hook);
    }
    for (const change of changes) {
      for (const hook of changeOnly) expect(change.hooks, `${change.method} ${change.route}`).toContain(hook);
      expect(change.hooks).not.toContain('onRequest:identifyRead()');
    }
  });

  it('the overview, the hottest read, runs no hook but the security headers and identity (which reads the cookies)', () => {
    const overview = routeHooks().find((r) => r.route.endsWith('/api/v1/overview') && r.method === 'GET')!;
    expect(overview.hooks.filter((h) => h.startsWith('onRequest:'))).toHaveLength(2);
    expect(overview.hooks).toContain('onRequest:identifyRead()');
    expect(overview.hooks).not.toContain('onRequest:fastifyCookieHandler()');
    // The text check (every route: a query nobody declared is refused too) returns at once for a URL
    // without an escape; nothing else before the handler.
    expect(overview.hooks.filter((h) => h.startsWith('preValidation:'))).toHaveLength(1);
    expect(overview.hooks.filter((h) => h.startsWith('preHandler:'))).toEqual([]);
    expect(overview.hooks).not.toContain('onResponse:auditRow()');
  });
});
