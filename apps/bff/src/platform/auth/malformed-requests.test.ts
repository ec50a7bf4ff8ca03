import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { albClientId, albIssuer, albSigner, albToken, startAlbKeyServer } from '../../testing/alb-tokens.js';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import { rawRequest } from '../../testing/raw-http.js';
import { isMutation } from './access-rules.js';

interface Attempt {
  name: string;
  path?: (url: string) => string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

const huge = (bytes: number) => `{"user":"${'x'.repeat(bytes)}"}`;

/** Bodies a careless client, a proxy or an attacker might send. */
const bodyAttempts: Attempt[] = [
  { name: 'truncated JSON', body: '{"user": "omar"' },
  { name: 'trailing garbage', body: '{"user":"omar"}}}' },
  { name: 'JSON null', body: 'null' },
  { name: 'JSON string', body: '"omar"' },
  { name: 'JSON array', body: '[{"user":"omar"}]' },
  { name: 'JSON number', body: '42' },
  { name: 'empty body', body: '' },
  { name: 'wrong types', body: '{"user":123,"seconds":"soon","service":[],"operation":{},"kind":true}' },
  { name: 'negative numbers', body: '{"seconds":-1e308,"latencyMs":-5,"remaining":-1}' },
  { name: 'huge numbers', body: '{"seconds":1e400,"latencyMs":9007199254740993}' },
  { name: 'unknown fields', body: '{"user":"omar","isAdmin":true,"__proto__":{"polluted":1}}' },
  { name: 'prototype pollution', body: '{"constructor":{"prototype":{"polluted":1}}}' },
  { name: 'deep nesting', body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
  { name: 'huge body', body: huge(200_000) },
  { name: 'very huge body', body: huge(2_000_000) },
  { name: 'NUL bytes', body: '{"user":"om\u0000ar"}' },
  {
    name: 'invalid UTF-8',
    body: new Uint8Array([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  },
  { name: 'lone surrogate escape', body: '{"user":"\\ud800"}' },
  { name: 'lone low surrogate escape', body: '{"comment":"a\\udc00b","reason":"x"}' },
  { name: 'NUL escape', body: '{"user":"om\\u0000ar","comment":"a\\u0000","reason":"\\u0000"}' },
  { name: 'NUL in a key', body: '{"us\\u0000er":"omar"}' },
  {
    name: 'surrogate deep inside',
    body: '{"target":"f","deployId":"d1","kind":"lambda","x":[{"y":"\\ud83d"}]}',
  },
  { name: 'NUL in an id', body: '{"deployId":"d\\u0000","kind":"lambda","target":"f\\u0000"}' },
  { name: 'number for text', body: '{"comment":123,"reason":true,"user":1,"target":7,"deployId":1}' },
  {
    name: 'form encoded',
    body: 'user=omar',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  },
  { name: 'text/plain', body: '{"user":"omar"}', headers: { 'content-type': 'text/plain' } },
  {
    name: 'utf-16 charset',
    body: '{"user":"omar"}',
    headers: { 'content-type': 'application/json; charset=utf-16' },
  },
  { name: 'gzip claimed', body: '{"user":"omar"}', headers: { 'content-encoding': 'gzip' } },
  {
    name: 'multipart',
    body: '--x\r\n\r\n--x--',
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
  },
  { name: 'xml', body: '<user>omar</user>', headers: { 'content-type': 'application/xml' } },
  { name: 'bogus content-type', body: '{}', headers: { 'content-type': ';;;' } },
];

/** Paths, query strings and headers that are wrong whatever the method. */
const requestAttempts: Attempt[] = [
  { name: 'bad percent escape', path: (u) => `${u}?q=%ff%fe%` },
  { name: 'array query', path: (u) => `${u}?window[]=1&window[]=2&fn[x]=y` },
  { name: 'long query', path: (u) => `${u}?q=${'a'.repeat(20_000)}` },
  { name: 'traversal', path: (u) => `${u}/../../../../etc/passwd` },
  { name: 'encoded traversal', path: (u) => `${u}/%2e%2e/%2e%2e/etc/passwd` },
  { name: 'double slash', path: (u) => `/${u}` },
  { name: 'unicode path', path: (u) => `${u}/%F0%9F%92%A5` },
  { name: 'junk cookie', headers: { cookie: 'flightdeck_demo_user=omar; _csrf=%%%' } },
  { name: 'forged demo cookie', headers: { cookie: 'flightdeck_demo_user=omar.forgedsignature' } },
  { name: 'junk csrf token', headers: { 'x-csrf-token': '\u00ff'.repeat(3) } },
  { name: 'huge idempotency key', headers: { 'idempotency-key': 'k'.repeat(10_000) } },
  { name: 'junk ALB token', headers: { 'x-amzn-oidc-data': 'a.b.c' } },
  {
    name: 'spoofed proxy headers',
    headers: { 'x-forwarded-user': 'root', 'x-forwarded-groups': 'sre,admins' },
  },
  { name: 'last-event-id junk', headers: { 'last-event-id': '-1; DROP TABLE x' } },
  { name: 'NUL in the path', path: (u) => `${u}/%00` },
  { name: 'NUL as every id', path: (u) => u.replace(/\/x(?=\/|$)/g, '/%00') },
  { name: 'surrogate (UTF-8) as every id', path: (u) => u.replace(/\/x(?=\/|$)/g, '/%ED%A0%80') },
  { name: 'NUL in a query', path: (u) => `${u}?actor=%00&filter=a%00b&window=%00&lastEventId=%00` },
  { name: 'surrogate (UTF-8) in the path', path: (u) => `${u}/%ED%A0%80` },
  { name: 'surrogate (UTF-8) in a query', path: (u) => `${u}?actor=%ED%A0%80&filter=%ED%B0%80` },
  { name: 'overlong NUL', path: (u) => `${u}?actor=%C0%80` },
  { name: 'id too long', path: (u) => u.replace(/\/x(\/|$)/, `/${'i'.repeat(141)}$1`) },
];

/**
 * What no HTTP client library sends, written on the socket: repeated identity and security
 * headers, and the framework's own refusals (414, a URL that does not decode, 431, dot segments).
 */
const rawAttempts: Array<{
  name: string;
  path?: (url: string) => string;
  headers?: Array<[string, string]>;
}> = [
  {
    name: 'repeated user header',
    headers: [
      ['x-forwarded-user', 'alice'],
      ['x-forwarded-user', 'bob'],
    ],
  },
  {
    name: 'repeated groups header',
    headers: [
      ['x-forwarded-groups', 'viewer'],
      ['x-forwarded-groups', 'sre'],
    ],
  },
  {
    name: 'repeated ALB token',
    headers: [
      ['x-amzn-oidc-data', 'a.b.c'],
      ['x-amzn-oidc-data', 'd.e.f'],
    ],
  },
  {
    name: 'repeated CSRF token and idempotency key',
    headers: [
      ['x-csrf-token', 'one'],
      ['x-csrf-token', 'two'],
      ['idempotency-key', 'first-key-0001'],
      ['idempotency-key', 'second-key-0002'],
    ],
  },
  {
    name: 'repeated content-type',
    headers: [
      ['content-type', 'application/json'],
      ['content-type', 'text/plain'],
    ],
  },
  {
    name: '414: parameter over the router’s limit',
    path: (u) => `${u.replace(/\/x(\/|$)/, `/${'p'.repeat(500)}$1`)}`,
  },
  { name: 'FST_ERR_BAD_URL', path: (u) => `${u}/%E0%A4%A` },
  { name: '431: headers too large', headers: [['x-padding', 'x'.repeat(40_000)]] },
  { name: 'dot segments', path: (u) => `/x/../..${u}` },
  { name: 'empty segment', path: (u) => `/${u}` },
];

/** Sends every attempt to every route as each identity; returns what answered 5xx or leaked a stack. */
async function fuzz(
  app: TestApp,
  identities: Array<Record<string, string>>,
): Promise<{ sent: number; routes: number; failures: string[] }> {
  const routes = app.app.routeList.filter((r) => r.url !== '/api/v1/events');
  const failures: string[] = [];
  let sent = 0;
  let key = 0;
  for (const route of routes) {
    const url = route.url.replace(/:(\w+)/g, 'x').replace('*', 'index.html');
    const attempts = isMutation(route.method) ? [...bodyAttempts, ...requestAttempts] : requestAttempts;
    for (const attempt of attempts) {
      for (const identity of identities) {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'idempotency-key': `fuzz-${route.method}-${key++}`,
          ...identity,
          ...attempt.headers,
        };
        if (attempt.headers?.cookie && 'cookie' in identity)
          headers.cookie = `${identity.cookie}; ${attempt.headers.cookie}`;
        const path = attempt.path ? attempt.path(url) : url;
        const response = await fetch(`${app.url}${path}`, {
          method: route.method,
          headers,
          body: route.method === 'GET' ? undefined : (attempt.body ?? '{"bogus":1}'),
        }).catch((error: Error) => ({ status: 0, text: async () => error.message }));
        sent++;
        const text = await response.text();
        if (response.status >= 500 || response.status === 0) {
          failures.push(
            `${route.method} ${path.slice(0, 80)} [${attempt.name}]: ${response.status} ${text.slice(0, 200)}`,
          );
        }
        if (/"statusCode"|FST_/.test(text))
          failures.push(
            `${route.method} ${route.url} [${attempt.name}]: Fastify's own error body: ${text.slice(0, 200)}`,
          );
        if (/at .+\.(ts|js):\d+/.test(text))
          failures.push(`${route.method} ${route.url} [${attempt.name}]: stack trace in response`);
      }
    }
  }
  for (const route of routes) {
    const url = route.url.replace(/:(\w+)/g, 'x').replace('*', 'index.html');
    for (const attempt of rawAttempts) {
      for (const identity of identities) {
        // The identity's own headers first; the attempt's repeat some of them.
        const headers: Array<[string, string]> = [
          ['content-type', 'application/json'],
          ['idempotency-key', `fuzz-raw-${route.method}-${key++}`],
          ...Object.entries(identity),
          ...(attempt.headers ?? []),
        ];
        const path = attempt.path ? attempt.path(url) : url;
        const response = await rawRequest(app.url, {
          method: route.method,
          path,
          headers,
          ...(route.method === 'GET' ? {} : { body: '{}' }),
        }).catch((error: Error) => ({ status: 0, body: error.message, headers: '' }));
        sent++;
        if (response.status >= 500 || response.status === 0)
          failures.push(
            `${route.method} ${path.slice(0, 80)} [${attempt.name}]: ${response.status} ${response.body.slice(0, 200)}`,
          );
        if (/"statusCode"|FST_/.test(response.body))
          failures.push(
            `${route.method} ${route.url} [${attempt.name}]: Fastify's own error body: ${response.body.slice(0, 200)}`,
          );
      }
    }
  }
  return { sent, routes: routes.length, failures };
}

/** Headers a signed-in person's requests carry, with the CSRF cookie and token from the session. */
async function withCsrf(app: TestApp, identity: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(`${app.url}/api/v1/session`, { headers: identity });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  return { ...identity, cookie, 'x-csrf-token': csrfToken };
}

async function expectNoHarm(app: TestApp, identities: Array<Record<string, string>>): Promise<void> {
  // Ready first: /readyz's 503 while a source has not answered yet is its job, not the input's doing.
  await waitFor(async () => ((await fetch(`${app.url}/readyz`)).status === 200 ? true : undefined), 30_000);
  const before = await app.control<Record<string, unknown>>('GET', 'state');
  const { sent, routes, failures } = await fuzz(app, identities);
  console.log(`sent ${sent} malformed requests to ${routes} routes as ${app.config.auth.mode}`);
  expect(sent).toBeGreaterThanOrEqual(1000);
  expect(failures).toEqual([]);
  const after = await app.control<Record<string, unknown>>('GET', 'state');
  expect(after.revision).toEqual(before.revision);
  expect(after.faults).toEqual(before.faults);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

// The fuzz must reach validation, not stop at the rate limit.
const unlimited = { mutationsPerMinute: 1_000_000 };

describe('malformed requests across all routes', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('never answers 500 and never changes state (sandbox sign-in)', async () => {
    app = await buildTestApp({ auth: unlimited });
    // Each attempt as ops (past auth, so validation is what answers), as a viewer and as nobody.
    await expectNoHarm(app, [await app.signIn('ops'), await app.signIn('viewer'), {}]);
  }, 180_000);

  it('never answers 500 and never changes state behind a trusted proxy', async () => {
    app = await buildTestApp({
      auth: { ...unlimited, mode: 'proxy', roles: [{ role: 'ops', groups: ['sre'] }] },
    });
    const ops = await withCsrf(app, { 'x-forwarded-user': 'olu', 'x-forwarded-groups': 'sre' });
    const viewer = await withCsrf(app, { 'x-forwarded-user': 'vera' });
    await expectNoHarm(app, [ops, viewer, {}]);
  }, 180_000);

  it('never answers 500 and never changes state behind an ALB', async () => {
    const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys = await startAlbKeyServer(signing.publicKey);
    try {
      app = await buildTestApp({
        auth: {
          ...unlimited,
          mode: 'alb',
          alb: { signerArn: albSigner, issuer: albIssuer, clientId: albClientId, publicKeysUrl: keys.url },
          roles: [{ role: 'ops', groups: ['sre'] }],
        },
      });
      const ops = await withCsrf(app, {
        'x-amzn-oidc-data': albToken(signing.privateKey, {}, { email: 'olu@example.com', groups: ['sre'] }),
      });
      const viewer = await withCsrf(app, {
        'x-amzn-oidc-data': albToken(signing.privateKey, {}, { email: 'vera@example.com' }),
      });
      await expectNoHarm(app, [ops, viewer, {}]);
    } finally {
      await keys.close();
    }
  }, 180_000);
});
