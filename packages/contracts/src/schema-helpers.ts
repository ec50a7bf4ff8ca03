import Type, { type TSchema } from 'typebox';

/** Unknown fields are an error, never silently dropped. */
export const strict = { additionalProperties: false } as const;

/** A value or null (JSON has no undefined). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** An ISO 8601 instant. */
export const DateTime = Type.String({ format: 'date-time' });

/**
 * An id in a path or a body: one Flightdeck gave (a deploy, a checklist item, a rollback job) or AWS
 * did (a function's name or ARN). Letters, digits and `. _ : -`, at most 140 characters (a full
 * Lambda ARN), the longest path parameter the BFF's router takes (longer answers 414).
 */
export const Identifier = Type.String({
  minLength: 1,
  maxLength: 140,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
});
