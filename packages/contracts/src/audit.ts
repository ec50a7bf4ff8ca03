import Type, { type Static } from 'typebox';

/** One audit row: who, when, what, with which parameters, the result, and the request's correlation id. */
export const AuditEntry = Type.Object(
  {
    id: Type.String(),
    at: Type.String({
      format: 'date-time',
      description: 'When, on the clock people see: scenario time in sandbox mode, wall time otherwise',
    }),
    wallAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'The wall clock when it differs from `at` (sandbox mode); null otherwise',
    }),
    actor: Type.String(),
    summary: Type.String({
      description:
        'What happened in words, e.g. "lee signed off “Frontend commit documented” on deploy production-…"',
    }),
    role: Type.Union([Type.String(), Type.Null()]),
    action: Type.String({ description: 'Method and route, for machines: e.g. "POST /api/v1/rollbacks"' }),
    target: Type.Union([Type.String(), Type.Null()]),
    parameters: Type.Unknown(),
    result: Type.String({ description: 'e.g. "202", "409 RollbackActive"' }),
    correlationId: Type.String(),
  },
  { additionalProperties: false },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(
      Type.String({ maxLength: 200, description: 'Substring of the words or of the method and route' }),
    ),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 500 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditList = Type.Object({ entries: Type.Array(AuditEntry) }, { additionalProperties: false });
export type AuditList = Static<typeof AuditList>;
