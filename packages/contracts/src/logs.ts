import Type, { type Static } from 'typebox';
import { Identifier, strict } from './schema-helpers.js';

/** A database object the code expects but the schema lacks: the signal of a missing migration. */
export const SchemaErrorMatch = Type.Object(
  {
    kind: Type.Union([Type.Literal('column'), Type.Literal('relation')]),
    name: Type.String({ description: 'e.g. coordinator_notification_preferences or providers.fcvs_fid' }),
  },
  strict,
);
export type SchemaErrorMatch = Static<typeof SchemaErrorMatch>;

export const TailLine = Type.Object(
  {
    seq: Type.Integer({ description: 'Position in this tail; the SSE id is `<tail epoch>-<seq>`' }),
    eventId: Type.String({ description: 'CloudWatch Logs eventId' }),
    timestamp: Type.String({ format: 'date-time' }),
    logStream: Type.String(),
    message: Type.String(),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
    schemaError: Type.Union([SchemaErrorMatch, Type.Null()]),
  },
  strict,
);
export type TailLine = Static<typeof TailLine>;

/** How the shared FilterLogEvents budget is spent right now. */
export const LogsBudgetStatus = Type.Object(
  {
    callsPerSecond: Type.Number({ description: 'Budget for the account and region (logs.callsPerSecond)' }),
    activeTails: Type.Integer(),
    waiting: Type.Integer({ description: 'Calls queued for a token at this moment' }),
    shared: Type.Boolean({ description: 'True when tails want more calls than the budget allows' }),
  },
  strict,
);
export type LogsBudgetStatus = Static<typeof LogsBudgetStatus>;

export const TailStatus = Type.Object(
  {
    functionName: Type.String(),
    logGroup: Type.String(),
    filterPattern: Type.String(),
    epoch: Type.String(),
    lastSeq: Type.Integer(),
    bufferedLines: Type.Integer(),
    bufferCapacity: Type.Integer(),
    clients: Type.Integer(),
    pollIntervalMs: Type.Integer({ description: 'The configured interval (intervals.logTailMs)' }),
    effectivePollMs: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Measured time between polls; above pollIntervalMs when tails share the budget',
    }),
    lastPollAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    error: Type.Union(
      [Type.Object({ code: Type.String(), message: Type.String(), at: Type.String() }, strict), Type.Null()],
      { description: 'The latest poll’s failure; lines keep coming once it recovers' },
    ),
    budget: LogsBudgetStatus,
    clientBufferedBytes: Type.Integer({
      description: 'Largest socket backlog of any client right now (bounded: slow clients are dropped)',
    }),
    peakClientBufferedBytes: Type.Integer({
      description: 'Largest backlog any client of this tail ever had',
    }),
    droppedClients: Type.Integer(),
  },
  strict,
);
export type TailStatus = Static<typeof TailStatus>;

export const LogGroupInfo = Type.Object(
  {
    functionName: Type.String(),
    label: Type.String(),
    logGroup: Type.String(),
  },
  strict,
);

export const LogsOverview = Type.Object(
  {
    groups: Type.Array(LogGroupInfo),
    budget: LogsBudgetStatus,
    tails: Type.Array(TailStatus),
  },
  strict,
);
export type LogsOverview = Static<typeof LogsOverview>;

export const TailParams = Type.Object({ functionName: Identifier }, strict);
export type TailParams = Static<typeof TailParams>;

export const TailQuery = Type.Object(
  {
    filter: Type.Optional(
      Type.String({
        maxLength: 1024,
        description: 'CloudWatch Logs filter pattern, passed through ("" for every line)',
      }),
    ),
    lastEventId: Type.Optional(
      Type.String({ description: 'Resume after this SSE id (same as the Last-Event-ID header)' }),
    ),
  },
  strict,
);
export type TailQuery = Static<typeof TailQuery>;

/** SSE `gap`: the requested resume point is no longer buffered, so some lines cannot be replayed. */
export interface TailGapEvent {
  reason: 'tail-restarted' | 'evicted' | 'unknown-id';
  lastEventId: string;
  /** The oldest line this stream is about to send. */
  resumesAtSeq: number | null;
}

/** SSE `dropped`: the server closed this stream; reconnect with `resumeFrom` to continue. */
export interface TailDroppedEvent {
  reason: string;
  resumeFrom: string | null;
}

/** Per-function count of schema errors among the Overview's recent error lines. */
export const SchemaErrorCount = Type.Object(
  {
    functionName: Type.String(),
    count: Type.Integer(),
    lastSeen: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    objects: Type.Array(SchemaErrorMatch, { description: 'Distinct missing objects, most frequent first' }),
  },
  strict,
);
export type SchemaErrorCount = Static<typeof SchemaErrorCount>;
