// Notifications: what happens during a release, told to the team's webhooks (Slack or signed
// JSON). An event is an outbox row per webhook before anything is sent; the leader sends it,
// retries it, and records each attempt; the Notifications page shows them and can resend.
import { randomUUID } from 'node:crypto';
import type { NotificationEvent } from '@flightdeck/contracts';
import { wantsEvent } from '@flightdeck/core';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { notificationRoutes } from './notifications-routes.js';
import { enqueue } from './store/outbox.js';
import type { NotificationTables } from './store/notification-tables.js';
import { WebhookSender, type ConfiguredWebhook } from './webhook-sender.js';

/** An event as a module tells it: the rest (id, time, environment, link) is filled in here. */
export type NewNotification = Pick<NotificationEvent, 'type' | 'summary' | 'data'> & {
  deployId: string | null;
  /** The page it concerns, e.g. `/rollbacks/<job>`: linked when server.publicUrl is set. */
  path?: string;
};

declare module 'fastify' {
  interface FastifyInstance {
    notifications: {
      /** Writes the event to the outbox for every webhook that wants it; sending comes later. */
      emit(event: NewNotification): Promise<void>;
      /**
       * The same, inside the caller's store transaction: the outbox rows commit with the change
       * that caused them or not at all (durable, once). An error fails the transaction.
       */
      emitWithin<DB>(trx: Kysely<DB>, event: NewNotification): Promise<void>;
    };
  }
}

export const notificationsModule = fp(
  async (app) => {
    const config = app.config;
    const settings = config.notifications;
    const db = app.store.db as unknown as Kysely<NotificationTables>;
    const webhooks = new Map<string, ConfiguredWebhook & { events: string[] }>(
      settings.webhooks.map((w) => [
        w.name,
        { name: w.name, url: w.url, format: w.format, secret: w.secret, events: w.events },
      ]),
    );
    const now = () => app.upstreams.now();
    const sender = new WebhookSender(
      db,
      webhooks,
      {
        maxAttempts: settings.maxAttempts,
        retryBaseMs: settings.retryBaseSeconds * 1000,
        timeoutMs: settings.timeoutSeconds * 1000,
        pollMs: settings.pollMs,
      },
      app.log,
      // Retries are timed on the wall clock: a receiver's outage is real time, even in the sandbox.
    );

    /** The event in full and the webhooks that want it. */
    const prepare = (event: NewNotification) => {
      const wanting = [...webhooks.values()]
        .filter((w) => wantsEvent(w.events, event.type))
        .map((w) => w.name);
      const full: NotificationEvent = {
        id: randomUUID(),
        type: event.type,
        at: now().toISOString(),
        environment: config.environment,
        deployId: event.deployId,
        summary: event.summary,
        url: config.server.publicUrl && event.path ? new URL(event.path, config.server.publicUrl).href : null,
        data: event.data,
      };
      return { full, wanting };
    };

    app.decorate('notifications', {
      async emit(event: NewNotification) {
        const { full, wanting } = prepare(event);
        if (wanting.length === 0) return;
        try {
          await enqueue(db, full, wanting, new Date());
        } catch (error) {
          // A notification never fails the change that caused it; the log says what was lost.
          app.log.error({ err: error }, `notification ${event.type} not written to the outbox`);
          return;
        }
        if (app.leadership.leading) void sender.tick();
      },
      async emitWithin<DB>(trx: Kysely<DB>, event: NewNotification) {
        const { full, wanting } = prepare(event);
        if (wanting.length === 0) return;
        // Same store, another module's tables: the transaction is the caller's, the rows are ours.
        await enqueue(trx as unknown as Kysely<NotificationTables>, full, wanting, new Date());
        // Sent on the leader's next poll, after the caller's transaction has committed.
      },
    });
    app.leadership.duty({
      name: 'the webhook deliveries',
      start: () => sender.start(),
      stop: () => sender.stop(),
    });
    app.access.declare({
      'GET /api/v1/notifications': 'ops',
      'POST /api/v1/notifications/:id/resend': 'ops',
    });
    await app.register(notificationRoutes, {
      db,
      webhooks,
      now: () => new Date(),
      sendNow: () => {
        if (app.leadership.leading) void sender.tick();
      },
    });
  },
  { name: 'flightdeck-notifications', dependencies: ['flightdeck-platform'] },
);
