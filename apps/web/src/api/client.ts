import type { ErrorResponse } from '@flightdeck/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function parse<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorResponse | null;
    throw new ApiError(
      response.status,
      body?.error.code ?? 'HttpError',
      body?.error.message ?? response.statusText,
    );
  }
  return (await response.json()) as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { headers: { accept: 'application/json' } }));
}

/**
 * Every change carries the CSRF token and a fresh Idempotency-Key, so a double click or a retry
 * after a timeout changes things once.
 */
export async function sendChange<T>(
  method: 'POST' | 'DELETE',
  path: string,
  csrfToken: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      'x-csrf-token': csrfToken,
      'idempotency-key': crypto.randomUUID(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return parse<T>(response);
}
