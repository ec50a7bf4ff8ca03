/**
 * The yardstick for the overview's rate: a bare Fastify in a process of its own sending the same
 * bytes the BFF sends (its brotli overview and its headers), with no identity, hooks or logging.
 * argv: the BFF's base URL (to copy the answer from). Sends `{ url }` to its parent when listening.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// The BFF's own Fastify (the same version), resolved from the BFF package.
const fastifyPath = createRequire(new URL('../../apps/bff/package.json', import.meta.url)).resolve('fastify');
interface BareReply {
  header(name: string, value: string): BareReply;
  type(contentType: string): BareReply;
  send(body: Buffer): void;
}
interface BareApp {
  get(path: string, handler: (request: unknown, reply: BareReply) => void): void;
  listen(options: { host: string; port: number }): Promise<string>;
}
const { default: Fastify } = (await import(pathToFileURL(fastifyPath).href)) as {
  default: (options: { logger: boolean }) => BareApp;
};

const [bffBase] = process.argv.slice(2);
if (bffBase && process.send) {
  const response = await fetch(`${bffBase}/api/v1/overview`, {
    headers: {
      'x-forwarded-user': 'bare-0',
      'x-forwarded-email': 'bare-0@bench.local',
      'accept-encoding': 'br',
    },
  });
  // fetch decodes: compress again as the BFF did, so the bytes on the wire are the same size.
  const { brotliCompressSync, constants } = await import('node:zlib');
  const json = Buffer.from(await response.arrayBuffer());
  const body = brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  // The same headers too (security headers, ETag, change id …): the same bytes on the wire, so
  // what differs is the work per request, not what is written.
  const perConnection = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
  const headers = [...response.headers].filter(([name]) => !perConnection.has(name));
  const app = Fastify({ logger: false });
  app.get('/api/v1/overview', (_request, reply) => {
    for (const [name, value] of headers) reply.header(name, value);
    reply.send(body);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send({ url });
}
