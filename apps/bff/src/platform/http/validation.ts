import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/** Fastify's own Ajv settings, except that unknown fields are an error, never silently dropped. */
const base: Options = { useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false };

/**
 * Two validators, by part of the request. A body is JSON and carries its own types, so nothing is
 * coerced: `{"comment": 123}` or `true` is refused, not stored as "123". Paths and query strings
 * are text by nature, and their schemas rely on coercion: `?limit=50` is an integer (AuditQuery),
 * `?window=1` a one-item array where an array is asked for.
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const bodies = addFormats.default(new Ajv({ ...base, coerceTypes: false }));
  const addresses = addFormats.default(new Ajv({ ...base, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodies : addresses).compile(schema as object);
}
