import Type, { type TSchema } from 'typebox';

/** Unknown fields are an error, never silently dropped. */
export const strict = { additionalProperties: false } as const;

/** A value or null (JSON has no undefined). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** An ISO 8601 instant. */
export const DateTime = Type.String({ format: 'date-time' });
