import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';
import { rawRequest, type RawResponse } from '../../testing/raw-http.js';

/** A marker no answer may repeat: the refusals must not echo what was sent. */
const marker = 'ECHOMARKER';

function expectOurBody(response: { status: number; body: string }, status: number, code?: string) {
  expect(response.status).toBe(status);
  const body = JSON.parse(response.body) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  if (code) expect(body.error.code).toBe(code);
  expect(response.body).not.toContain(marker);
  expect(response.body).not.toMatch(/statusCode|FST_/);
}

describe('framework errors answer in the one {error} body, without echoing the input', () => {
  let app: TestApp;
  let webDir: string;
  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'flightdeck-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Flightdeck</title>');
    app = await buildTestApp({ server: { port: 0, logLevel: 'warn', webDir } });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const raw = (path: string, headers: Array<[string, string]> = [], method = 'GET', body?: string) =>
    rawRequest(app.url, { method, path, headers, ...(body !== undefined ? { body } : {}) });
  const viewer = () => app.signIn('viewer').then((h) => Object.entries(h) as Array<[string, string]>);

  it('414: a path parameter longer than the router takes', async () => {
    // A POST: for a GET, the SPA's wildcard route takes any path.
    const path = `/api/v1/deploys/${marker}${'a'.repeat(300)}/items/x/sign-off`;
    expectOurBody(await raw(path, await viewer(), 'POST', '{}'), 414, 'UrlTooLong');
  });

  it('FST_ERR_BAD_URL: a path that does not decode', async () => {
    expectOurBody(await raw(`/api/v1/deploys/${marker}%E0%A4%A`, await viewer()), 400, 'BadUrl');
  });

  it('431: headers over the size limit', async () => {
    const response: RawResponse = await raw('/api/v1/overview', [['x-padding', marker + 'x'.repeat(40_000)]]);
    expectOurBody(response, 431, 'HeadersTooLarge');
  });

  it('the static files’ 403: dot segments and empty segments', async () => {
    expectOurBody(await raw(`/${marker}/../index.html`), 403);
    expectOurBody(await raw(`//${marker}/index.html`), 403);
  });

  it('content type and JSON parse errors', async () => {
    const ops = Object.entries(await app.signIn('ops')) as Array<[string, string]>;
    const headers = [...ops, ['idempotency-key', 'framework-errors-1'] as [string, string]];
    const apply = '/api/v1/sandbox/migrations/apply';
    expectOurBody(
      await raw(apply, [...headers, ['content-type', `text/${marker}`]], 'POST', '{}'),
      415,
      'UnsupportedMediaType',
    );
    expectOurBody(
      await raw(apply, [...headers, ['content-type', 'application/json']], 'POST', `{"x": "${marker}`),
      400,
      'InvalidJson',
    );
    expectOurBody(
      await raw(
        apply,
        [...headers, ['content-type', 'application/json']],
        'POST',
        `{"__proto__": {"${marker}": 1}}`,
      ),
      400,
    );
  });

  it('an unknown API route: 404 without repeating the address', async () => {
    expectOurBody(await raw(`/api/v1/${marker}`, await viewer()), 404, 'NotFound');
  });
});
