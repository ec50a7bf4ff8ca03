import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeliveryList, DeliveryParams, EmptyBody, ErrorResponse } from '@flightdeck/contracts';
import { maskedWebhookUrl } from '@flightdeck/core';
import type { Kysely } from 'kysely';
import Type from 'typebox';
import { NotFound } from '../../platform/errors/errors.js';
import { personOf } from '../../platform/audit/change-words.js';
import { recentDeliveries, resend } from './store/outbox.js';
import type { NotificationTables } from './store/notification-tables.js';
import type { ConfiguredWebhook } from './webhook-sender.js';

/** The deliveries and their attempts (ops), and resending one. URLs and secrets never shown whole. */
export const notificationRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<NotificationTables>;
  webhooks: ReadonlyMap<string, ConfiguredWebhook & { events: string[] }>;
  now: () => Date;
  /** Sends what is due now (on the leader), so a resend goes out at once. */
  sendNow: () => void;
}> = async (app, { db, webhooks, now, sendNow }) => {
  const targetOf = (name: string) => {
    const webhook = webhooks.get(name);
    return webhook ? maskedWebhookUrl(webhook.url) : '(no longer configured)';
  };

  app.get(
    '/api/v1/notifications',
    {
      schema: {
        summary: 'The configured webhooks and the latest deliveries with every attempt',
        tags: ['notifications'],
        response: { 200: DeliveryList, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async () => ({
      webhooks: [...webhooks.values()].map((w) => ({
        name: w.name,
        target: maskedWebhookUrl(w.url),
        format: w.format,
        events: w.events,
      })),
      deliveries: await recentDeliveries(db, 200, targetOf),
    }),
  );

  app.post(
    '/api/v1/notifications/:id/resend',
    {
      schema: {
        summary: 'Send a delivery’s event to its webhook again, as a new delivery',
        tags: ['notifications'],
        params: DeliveryParams,
        body: Type.Optional(EmptyBody),
        response: { 201: Type.Object({ id: Type.String() }), 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const original = request.params.id;
      const id = await resend(db, original, now(), (tx, resent) =>
        request.audit.within(tx, {
          summary: `${personOf(request.identity?.user ?? 'unknown')} resent delivery ${original} (${resent.type}) to webhook ${resent.webhook}, as delivery ${resent.copy}`,
          target: `delivery ${original}`,
          made: resent.copy,
        }),
      );
      if (!id) throw new NotFound('DeliveryNotFound', `There is no delivery ${request.params.id}.`);
      sendNow();
      return reply.code(201).send({ id });
    },
  );
};
