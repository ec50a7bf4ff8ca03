// The outbox: an event is a row per webhook before anything is sent; the leader's sender takes
// what is due, in order per deploy and webhook, and records every attempt beside it.
import { randomUUID } from 'node:crypto';
import type { Delivery, DeliveryAttempt, NotificationEvent } from '@flightdeck/contracts';
import { sql, type Kysely } from 'kysely';
import type { NotificationTables } from './notification-tables.js';

type Db = Kysely<NotificationTables>;

export interface DueDelivery {
  id: string;
  webhook: string;
  event: NotificationEvent;
  attempts: number;
}

/** One row per webhook that wants the event; nothing is sent here. */
export async function enqueue(
  db: Db,
  event: NotificationEvent,
  webhooks: string[],
  now: Date,
): Promise<void> {
  if (webhooks.length === 0) return;
  await db
    .insertInto('notification_deliveries')
    .values(
      webhooks.map((webhook) => ({
        id: randomUUID(),
        event_id: event.id,
        type: event.type,
        deploy_id: event.deployId,
        ordering_key: event.deployId ?? 'environment',
        webhook,
        event: JSON.stringify(event),
        state: 'pending',
        created_at: now,
        next_attempt_at: now,
      })),
    )
    .execute();
}

/** Deliveries due now whose earlier ones (same webhook and deploy) are no longer pending. */
export async function dueDeliveries(db: Db, now: Date, limit: number): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('notification_deliveries as d')
    .select(['d.id', 'd.webhook', 'd.event', 'd.attempts'])
    .where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notification_deliveries as e')
            .select(sql.lit(1).as('one'))
            .whereRef('e.webhook', '=', 'd.webhook')
            .whereRef('e.ordering_key', '=', 'd.ordering_key')
            .whereRef('e.seq', '<', 'd.seq')
            .where('e.state', '=', 'pending'),
        ),
      ),
    )
    .orderBy('d.seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    webhook: r.webhook,
    event: r.event as NotificationEvent,
    attempts: r.attempts,
  }));
}

/** One attempt and what it leaves the delivery as, in one transaction. */
export async function recordAttempt(
  db: Db,
  delivery: DueDelivery,
  attempt: Omit<DeliveryAttempt, 'attempt'>,
  next: { state: 'pending' | 'sent' | 'failed'; nextAttemptAt: Date | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notification_attempts')
      .values({
        delivery_id: delivery.id,
        attempt: delivery.attempts + 1,
        at: attempt.at,
        status: attempt.status,
        duration_ms: attempt.durationMs,
        error: attempt.error,
      })
      .execute();
    await trx
      .updateTable('notification_deliveries')
      .set({ state: next.state, next_attempt_at: next.nextAttemptAt, attempts: delivery.attempts + 1 })
      .where('id', '=', delivery.id)
      .execute();
  });
}

/** The same event to the same webhook again, as a new delivery (the old one and its attempts stay). */
/** A new delivery of a delivery's event; with `audit`, the new row and its audit row in one transaction. */
export async function resend(
  db: Db,
  id: string,
  now: Date,
  audit?: (tx: Db, resent: { copy: string; type: string; webhook: string }) => Promise<void>,
): Promise<string | null> {
  const row = await db
    .selectFrom('notification_deliveries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const copy = randomUUID();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('notification_deliveries')
      .values({
        id: copy,
        event_id: row.event_id,
        type: row.type,
        deploy_id: row.deploy_id,
        ordering_key: row.ordering_key,
        webhook: row.webhook,
        event: JSON.stringify(row.event),
        state: 'pending',
        created_at: now,
        next_attempt_at: now,
      })
      .execute();
    await audit?.(tx, { copy, type: row.type, webhook: row.webhook });
  });
  return copy;
}

/** The newest deliveries with their attempts, for the Notifications page. */
export async function recentDeliveries(
  db: Db,
  limit: number,
  targetOf: (webhook: string) => string,
): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('notification_deliveries')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  const attempts =
    rows.length === 0
      ? []
      : await db
          .selectFrom('notification_attempts')
          .selectAll()
          .where(
            'delivery_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('attempt')
          .execute();
  return rows.map((r) => {
    const event = r.event as NotificationEvent;
    return {
      id: r.id,
      eventId: r.event_id,
      type: event.type,
      deployId: r.deploy_id,
      summary: event.summary,
      webhook: r.webhook,
      target: targetOf(r.webhook),
      state: r.state as Delivery['state'],
      createdAt: new Date(r.created_at).toISOString(),
      nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at).toISOString() : null,
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          attempt: a.attempt,
          at: new Date(a.at).toISOString(),
          status: a.status,
          durationMs: a.duration_ms,
          error: a.error,
        })),
    };
  });
}
