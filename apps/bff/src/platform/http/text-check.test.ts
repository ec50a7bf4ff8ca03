import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import { isMutation } from '../auth/access-rules.js';
import { answerErrors } from '../errors/error-handler.js';
import { findInvalidText, storableCopy } from './text-check.js';

interface Case {
  route: string;
  field: string;
  method: string;
  path: string;
  body?: string;
}

interface SchemaLike {
  properties?: Record<string, { type?: unknown }>;
}

const nul = 'a\u0000b';
const surrogate = 'x\ud800';

/** The names of the string fields a schema part declares (params, querystring or body). */
function stringFields(schema: unknown): string[] {
  const properties = (schema as SchemaLike | undefined)?.properties ?? {};
  return Object.entries(properties)
    .filter(([, p]) => p.type === 'string' || p.type === undefined)
    .map(([name]) => name);
}

/** A valid-looking path for a route pattern, with one parameter (or none) replaced by `value`. */
function pathOf(url: string, param?: string, value?: string): string {
  return url
    .replace(/:(\w+)/g, (_m, name: string) => (name === param ? value! : 'x1'))
    .replace('*', param === '*' ? value! : 'index.html');
}

/**
 * Every route that takes text, from the route table: a NUL in each path parameter, query field and
 * body field, and a lone surrogate in each body field (JSON can carry one; a URL cannot: its
 * UTF-8 form does not decode). Routes with no declared text get an undeclared field: checked too.
 */
function casesFor(routes: TestApp['app']['routeList']): Case[] {
  const cases: Case[] = [];
  for (const { method, url, schema } of routes) {
    const params = [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!).concat(url.endsWith('*') ? ['*'] : []);
    for (const param of params)
      cases.push({
        route: `${method} ${url}`,
        field: `params/${param}`,
        method,
        path: pathOf(url, param, '%00'),
      });
    const queryFields = stringFields(schema?.querystring);
    for (const name of queryFields.length > 0 ? queryFields : ['note'])
      cases.push({
        route: `${method} ${url}`,
        field: `querystring/${name}`,
        method,
        path: `${pathOf(url)}?${name}=${encodeURIComponent(nul)}`,
      });
    if (!isMutation(method)) continue;
    const bodyFields = stringFields(schema?.body);
    for (const name of bodyFields.length > 0 ? bodyFields : ['note'])
      for (const text of [nul, surrogate])
        cases.push({
          route: `${method} ${url}`,
          field: `body/${name}`,
          method,
          path: pathOf(url),
          // JSON.stringify writes a lone surrogate as the escape \ud800, as a careless client would.
          body: JSON.stringify({ [name]: text }),
        });
  }
  return cases;
}

describe('text is valid or refused, on every route that takes text', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ auth: { mutationsPerMinute: 1_000_000 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a NUL or a lone surrogate anywhere in a path, query or body is a 400 naming the field', async () => {
    const ops = await app.signIn('ops');
    const cases = casesFor(app.app.routeList);
    const before = await app.control<Record<string, unknown>>('GET', 'state');
    const wrong: string[] = [];
    let n = 0;
    for (const c of cases) {
      const response = await fetch(`${app.url}${c.path}`, {
        method: c.method,
        headers: { ...ops, 'content-type': 'application/json', 'idempotency-key': `text-check-${n++}` },
        body: c.body ?? (isMutation(c.method) ? '{}' : undefined),
      });
      const text = await response.text();
      const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      if (response.status !== 400 || error?.code !== 'InvalidText' || !error.message?.startsWith(c.field))
        wrong.push(`${c.route} [${c.field}]: ${response.status} ${text.slice(0, 160)}`);
    }
    console.log(`${cases.length} invalid-text cases over ${app.app.routeList.length} routes`);
    expect(cases.length).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
    // Refused at validation: nothing changed.
    const after = await app.control<Record<string, unknown>>('GET', 'state');
    expect(after.revision).toEqual(before.revision);
    expect(after.faults).toEqual(before.faults);
  });

  it('the UTF-8 form of a lone surrogate in a path or query is refused too, never a 500', async () => {
    const viewer = await app.signIn('viewer');
    for (const path of [
      '/api/v1/deploys/%ED%A0%80',
      '/api/v1/rollbacks/%ED%A0%80',
      '/api/v1/audit?actor=%ED%A0%80',
    ]) {
      const response = await fetch(`${app.url}${path}`, { headers: viewer });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
  });

  it('the issue’s own cases', async () => {
    const viewer = await app.signIn('viewer');
    for (const [path, field] of [
      ['/api/v1/deploys/%00', 'params/id'],
      ['/api/v1/rollbacks/%00', 'params/id'],
      ['/api/v1/audit?actor=%00', 'querystring/actor'],
    ] as const) {
      const response = await fetch(`${app.url}${path}`, { headers: await app.signIn('lead') });
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(field);
    }
    // An id outside the pattern is refused by its schema.
    const spaced = await fetch(`${app.url}/api/v1/deploys/a%20b`, { headers: viewer });
    expect(spaced.status).toBe(400);
  });

  it('a change refused for its text still leaves its audit row, the bad text kept as U+FFFD', async () => {
    const lead = await app.signIn('lead');
    for (const [path, body] of [
      ['/api/v1/deploys/d1/items/health/sign-off', { comment: 'a\u0000b' }],
      ['/api/v1/deploys/d1/items/health/revoke', { reason: 'x\ud800' }],
    ] as const) {
      const response = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: {
          ...lead,
          'content-type': 'application/json',
          'idempotency-key': `text-audit-${path.length}`,
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
    }
    const rows = await waitFor(async () => {
      const entries = await app.app.auditLog.list({});
      const mine = entries.filter((e) => e.role === 'lead' && /sign-off|revoke/.test(e.action));
      return mine.length === 2 ? mine : undefined;
    });
    expect(rows.map((r) => r.result)).toEqual(['400 InvalidText', '400 InvalidText']);
    expect(rows.map((r) => r.parameters)).toEqual([{ reason: 'x\uFFFD' }, { comment: 'a\uFFFDb' }]);
  });

  it('an encoding error from PostgreSQL itself is a 400, not a 500', async () => {
    const bare = Fastify();
    answerErrors(bare);
    const db = app.store.db;
    const { sql } = await import('kysely');
    // 22021: bytes that are not UTF-8; 22P05: a \u0000 escape in jsonb.
    bare.get('/bytes', async () => sql`select convert_from('\\x00ff'::bytea, 'UTF8') as t`.execute(db));
    bare.get('/jsonb', async () => sql`select '"a\\u0000b"'::jsonb as j`.execute(db));
    for (const url of ['/bytes', '/jsonb']) {
      const response = await bare.inject({ url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'InvalidText' } });
    }
    await bare.close();
  });
});

describe('storableCopy', () => {
  it('replaces NUL and lone surrogates, in values and keys, and keeps pairs', () => {
    expect(storableCopy({ 'k\u0000': ['a\ud800', '💥', 1, null] })).toEqual({
      'k\uFFFD': ['a\uFFFD', '💥', 1, null],
    });
  });
});

describe('findInvalidText', () => {
  it('names the first field holding a NUL or a lone surrogate, keys included, at any depth', () => {
    expect(findInvalidText({ a: ['ok', { b: 'x\u0000' }] }, 'body')).toMatchObject({ field: 'body/a/1/b' });
    expect(findInvalidText({ 'k\udc00': 1 }, 'body')?.problem).toMatch(/surrogate/);
    expect(findInvalidText({ emoji: '💥 fine', pair: '\ud83d\udca5' }, 'body')).toBeNull();
    expect(findInvalidText('\udfff\ud800', 'body')?.problem).toMatch(/surrogate/);
    const deep = JSON.parse(`${'['.repeat(10_000)}"\\u0000"${']'.repeat(10_000)}`) as unknown;
    expect(findInvalidText(deep, 'body')).not.toBeNull();
  });
});
