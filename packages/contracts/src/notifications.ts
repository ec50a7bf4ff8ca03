import Type, { type Static } from 'typebox';
import { DateTime, Nullable, strict } from './schema-helpers.js';

/** What Flightdeck tells the team's webhooks about; `type` of the JSON body and `x-flightdeck-event`. */
export const notificationEventTypes = [
  'deploy.prepared',
  'deploy.verdict-changed',
  'deploy.item-failed',
  'deploy.item-signed-off',
  'deploy.item-revoked',
  'deploy.migration-started',
  'deploy.migration-finished',
  'deploy.lock-alert',
  'deploy.checkpoint',
  'deploy.ended',
  'rollback.started',
  'rollback.finished',
] as const;

export const NotificationEventType = Type.Union([
  Type.Literal('deploy.prepared'),
  Type.Literal('deploy.verdict-changed'),
  Type.Literal('deploy.item-failed'),
  Type.Literal('deploy.item-signed-off'),
  Type.Literal('deploy.item-revoked'),
  Type.Literal('deploy.migration-started'),
  Type.Literal('deploy.migration-finished'),
  Type.Literal('deploy.lock-alert'),
  Type.Literal('deploy.checkpoint'),
  Type.Literal('deploy.ended'),
  Type.Literal('rollback.started'),
  Type.Literal('rollback.finished'),
]);

export type NotificationEventType = Static<typeof NotificationEventType>;

/** One event, as a `json` webhook receives it (the body Flightdeck signs). */
export const NotificationEvent = Type.Object(
  {
    id: Type.String({ description: 'The event’s id: the same on every webhook it goes to' }),
    type: NotificationEventType,
    at: DateTime,
    environment: Type.String(),
    deployId: Nullable(Type.String()),
    /** One line a person reads, e.g. "Rollback of orders-api started by omar". */
    summary: Type.String(),
    /** The page it concerns (server.publicUrl + path), when Flightdeck knows its public address. */
    url: Nullable(Type.String()),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  strict,
);
export type NotificationEvent = Static<typeof NotificationEvent>;

export const DeliveryAttempt = Type.Object(
  {
    attempt: Type.Integer({ minimum: 1 }),
    at: DateTime,
    status: Nullable(
      Type.Integer({ description: 'The receiver’s HTTP status; null when it never answered' }),
    ),
    durationMs: Type.Integer(),
    error: Nullable(Type.String()),
  },
  strict,
);
export type DeliveryAttempt = Static<typeof DeliveryAttempt>;

export const DeliveryState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);
export type DeliveryState = Static<typeof DeliveryState>;

/** One event to one webhook: sent once, retried with backoff until it is, or until it fails for good. */
export const Delivery = Type.Object(
  {
    id: Type.String(),
    eventId: Type.String(),
    type: NotificationEventType,
    deployId: Nullable(Type.String()),
    summary: Type.String(),
    webhook: Type.String({ description: 'The webhook’s name in config' }),
    target: Type.String({ description: 'Where it goes, with the path and query hidden' }),
    state: DeliveryState,
    createdAt: DateTime,
    nextAttemptAt: Nullable(DateTime),
    attempts: Type.Array(DeliveryAttempt),
  },
  strict,
);
export type Delivery = Static<typeof Delivery>;

export const DeliveryList = Type.Object(
  {
    webhooks: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          target: Type.String(),
          format: Type.String(),
          events: Type.Array(Type.String()),
        },
        strict,
      ),
    ),
    deliveries: Type.Array(Delivery),
  },
  strict,
);
export type DeliveryList = Static<typeof DeliveryList>;

export const DeliveryParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9-]+$' }) },
  strict,
);
