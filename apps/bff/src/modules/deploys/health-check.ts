import type { HealthReading } from '@flightdeck/core';

/** GETs the application's health URL; any answer is a reading, a network failure is its error. */
export async function readHealth(url: string, timeoutMs = 5_000): Promise<HealthReading> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { url, status: response.status, error: null };
  } catch (error) {
    return { url, status: null, error: error instanceof Error ? error.message : String(error) };
  }
}
