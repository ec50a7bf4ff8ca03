/** The store cannot be used: unreachable, locked by another process, or newer than this code. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** A connection-level failure (server gone, socket closed), as opposed to a refused statement. */
export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreError) return true;
  const e = error as { code?: string; message?: string } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string') {
    // Node socket errors, and PostgreSQL's "connection exception" / "operator intervention" classes.
    if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH)$/.test(e.code)) return true;
    if (/^(08|57P)/.test(e.code)) return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(
    e.message ?? '',
  );
}

/** A store URL fit for a log line or an error message: the password never shows. */
export function describeStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable store URL)';
  }
}

/**
 * PostgreSQL refusing text it cannot hold: 22021 (a NUL, or bytes invalid in UTF-8) and 22P05 (a
 * \u0000 or unpaired surrogate escape in jsonb). Validation refuses these first; this is the net.
 */
export function isTextRefusedByStore(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (typeof e === 'object' && (e.code === '22021' || e.code === '22P05')) return true;
    e = (typeof e === 'object' ? e.cause : null) as typeof e;
  }
  return false;
}
