import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadInput } from '../errors/errors.js';

/** A NUL or any surrogate code unit; most text has neither, so one test settles it. */
const suspect = /[\u0000\uD800-\uDFFF]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a string, or null: a NUL, or a surrogate without its pair. */
function problemWith(text: string): string | null {
  if (!suspect.test(text)) return null;
  if (text.includes('\u0000')) return 'holds a NUL character (U+0000)';
  return !loneSurrogate.test(text)
    ? null
    : 'holds a lone UTF-16 surrogate (half of a character, not valid Unicode)';
}

/** A percent escape, a control character (an in-process request is not parsed) or one beyond ASCII. */
const escapedOrHigh = /[%\u0000-\u001f\u0080-\uffff]/;

const nulOrLoneSurrogate = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A copy PostgreSQL can store, for the record of a refused request: each NUL and lone surrogate
 * (values and keys) replaced by U+FFFD, the rest as it was.
 */
export function storableCopy(value: unknown): unknown {
  if (typeof value === 'string')
    return suspect.test(value) ? value.replace(nulOrLoneSurrogate, '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(storableCopy);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableCopy(k), storableCopy(v)]));
  return value;
}

/** The first string (value or key) in a parsed part that is not valid text, with its path. */
export function findInvalidText(value: unknown, root: string): { field: string; problem: string } | null {
  // Iterative: a body may nest thousands of levels deep.
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const problem = problemWith(current);
      if (problem) return { field: path, problem };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], `${path}/${i}`]);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, inner] of Object.entries(current)) {
        const problem = problemWith(key);
        if (problem) return { field: `${path} (a field's name)`, problem };
        stack.push([inner, `${path}/${key}`]);
      }
    }
  }
  return null;
}

/**
 * Text is valid or refused, once for every route: PostgreSQL stores neither a NUL nor a lone
 * surrogate (it refuses the first and turns the second into U+FFFD in text but not in jsonb), so a
 * request carrying one in its path, query or body is a 400 naming the field, before validation.
 */
export function refuseInvalidText(app: FastifyInstance): void {
  app.addHook('preValidation', (request: FastifyRequest, _reply, done) => {
    // Paths and queries are parsed from the URL: without a percent escape or a byte above ASCII
    // (the parser refuses a raw NUL) neither can hold bad text, and most reads are so.
    const urlIsPlain = !escapedOrHigh.test(request.raw.url ?? '');
    const found =
      (urlIsPlain
        ? null
        : (findInvalidText(request.params, 'params') ?? findInvalidText(request.query, 'querystring'))) ??
      (request.body === undefined || request.body === null ? null : findInvalidText(request.body, 'body'));
    if (!found) return done();
    done(
      new BadInput('InvalidText', `${found.field} ${found.problem}; send valid text.`, {
        field: found.field,
      }),
    );
  });
}
