// Audit rows in words. A change path that knows what it did says it itself (request.audit.within,
// with the item's title, the version …); for every other row, refusals included, the words come
// from the route: its schema's summary and what its parameters name.

/** How a person is named in words: the part of the user before the @ ("lee"); the row keeps the whole user. */
export function personOf(user: string): string {
  const at = user.indexOf('@');
  return at > 0 ? user.slice(0, at) : user;
}

const singular = (segment: string) =>
  segment.endsWith('ies') ? `${segment.slice(0, -3)}y` : segment.replace(/s$/, '');

/**
 * What a route's parameters name, each by the path segment before it:
 * `/api/v1/deploys/:id/items/:itemId/sign-off` with {id: d1, itemId: x} is "deploy d1 item x".
 */
export function paramsTarget(route: string, params: unknown): string | null {
  if (!params || typeof params !== 'object') return null;
  const values = params as Record<string, unknown>;
  const parts: string[] = [];
  const segments = route.split('/');
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const value = values[segment.slice(1)];
    if (typeof value !== 'string' || value === '') return;
    const before = segments[i - 1];
    parts.push(before && !before.startsWith(':') ? `${singular(before)} ${value}` : value);
  });
  return parts.length > 0 ? parts.join(' ') : null;
}

/** The request's target: what its body names as `target` (a rollback's), else what its path names. */
export function targetOf(route: string, params: unknown, body: unknown): string | null {
  if (body && typeof body === 'object' && 'target' in body && typeof body.target === 'string')
    return body.target;
  return paramsTarget(route, params);
}

/** The first clause of a route's summary, lower-cased: "Start a rollback …: …" → "start a rollback …". */
export function routeDoing(summary: string | undefined, action: string): string {
  if (!summary) return `call ${action}`;
  const clause = summary
    .split(/[:;(]| — /)[0]!
    .trim()
    .replace(/[.,]$/, '');
  return clause.charAt(0).toLowerCase() + clause.slice(1);
}

/** The words of a row the route's hook writes: what was asked and, for a refusal, that it was refused. */
export function routeWords(input: {
  user: string;
  doing: string;
  target: string | null;
  status: number;
  code: string | undefined;
}): string {
  const on = input.target ? ` (${input.target})` : '';
  if (input.status >= 400)
    return `${personOf(input.user)} was refused (${input.status}${input.code ? ` ${input.code}` : ''}): ${input.doing}${on}`;
  // "asked to start a rollback …", "asked for the exact plan of a rollback …".
  const asked = /^(the|a|an) /.test(input.doing) ? 'asked for' : 'asked to';
  return `${personOf(input.user)} ${asked} ${input.doing}${on}`;
}
