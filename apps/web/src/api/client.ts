import type { ErrorResponse, Overview } from '@flightdeck/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
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

export const api = {
  overview: () => getJson<Overview>('/api/v1/overview'),
};

export const queryKeys = {
  overview: ['overview'] as const,
};
