import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/**
 * Sends one request exactly as written — repeated headers, dot segments, bytes no HTTP client
 * would send — and reads the answer until the server closes the connection.
 */
export function rawRequest(
  baseUrl: string,
  request: { method?: string; path: string; headers?: Array<[string, string]>; body?: string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const host = hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, '');
  const body = request.body ?? '';
  const lines = [
    `${request.method ?? 'GET'} ${request.path} HTTP/1.1`,
    `host: ${host}:${port}`,
    'connection: close',
    ...(request.headers ?? []).map(([name, value]) => `${name}: ${value}`),
    ...(request.body !== undefined ? [`content-length: ${Buffer.byteLength(body)}`] : []),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close right after answering (431): what arrived is the answer.
      if (chunks.length > 0 && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return;
      reject(error);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      let payload = rest.join('\r\n\r\n');
      // Chunked answers: good enough to read a small JSON body.
      if (/transfer-encoding: chunked/i.test(head)) payload = payload.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '');
      resolve({ status, headers: head, body: payload.trim() });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}
