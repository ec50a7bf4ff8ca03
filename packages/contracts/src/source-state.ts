import Type, { type Static, type TSchema } from 'typebox';

/** Why a source's latest refresh failed; the panel shows it beside the last good value. */
export const SourceError = Type.Object(
  {
    code: Type.String({ description: 'Upstream error name, e.g. ThrottlingException' }),
    message: Type.String(),
    at: Type.String({ format: 'date-time', description: 'When the failing refresh ended' }),
  },
  { additionalProperties: false },
);
export type SourceError = Static<typeof SourceError>;

/**
 * Every panel's data travels with the time it was taken, so a failing upstream
 * degrades only its own panel: the last good value stays, with its age and the error.
 */
export const SourceState = <T extends TSchema>(data: T) =>
  Type.Object(
    {
      data: Type.Union([data, Type.Null()]),
      fetchedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
        description: 'When the data shown was fetched; null before the first success',
      }),
      error: Type.Union([SourceError, Type.Null()]),
      intervalMs: Type.Integer({ description: 'How often the source is polled' }),
    },
    { additionalProperties: false },
  );

export interface SourceStateOf<T> {
  data: T | null;
  fetchedAt: string | null;
  error: SourceError | null;
  intervalMs: number;
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type ErrorResponse = Static<typeof ErrorResponse>;
