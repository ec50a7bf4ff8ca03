// The leader sends what is due: each delivery POSTed once per attempt, never inline with the
// change that caused it, so a slow or failing receiver never slows a deploy. Retried with backoff
// and jitter; a receiver's 4xx (other than 429) is final; each attempt recorded.
import { createHmac } from 'node:crypto';
import type { NotificationEvent } from '@flightdeck/contracts';
import { attemptOutcome, retryDelayMs, slackMessage } from '@flightdeck/core';
import type { Kysely } from 'kysely';
import { dueDeliveries, recordAttempt, type DueDelivery } from './store/outbox.js';
import type { NotificationTables } from './store/notification-tables.js';

export interface ConfiguredWebhook {
  name: string;
  url: string;
  format: 'slack' | 'json';
  /** The signing secret, read from its environment variable at start-up. */
  secret: string | null;
}

export interface SenderSettings {
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
  pollMs: number;
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, as the big webhook senders sign. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookSender {
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private ticking: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Kysely<NotificationTables>,
    private readonly webhooks: ReadonlyMap<string, ConfiguredWebhook>,
    private readonly settings: SenderSettings,
    private readonly log: { warn(message: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(() => void this.tick(), this.settings.pollMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A tick reading the outbox now starts nothing once it has read: a sender stopping (the
    // leader giving way, a restart) must not POST what the next leader will send too.
    this.stopped = true;
    await this.ticking;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Sends everything due now (each delivery at most once at a time), without waiting for slow ones. */
  async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = this.sendDue().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async sendDue(): Promise<void> {
    try {
      for (const delivery of await dueDeliveries(this.db, this.now(), 50)) {
        if (this.stopped) return;
        if (this.inFlight.has(delivery.id)) continue;
        const sending = this.deliver(delivery).finally(() => this.inFlight.delete(delivery.id));
        this.inFlight.set(delivery.id, sending);
      }
    } catch (error) {
      this.log.warn(`notifications: reading the outbox failed: ${(error as Error).message}`);
    }
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const webhook = this.webhooks.get(delivery.webhook);
    const at = this.now();
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    if (!webhook) error = `The webhook "${delivery.webhook}" is no longer configured.`;
    else {
      try {
        const body = requestBody(webhook, delivery.event);
        const response = await fetch(webhook.url, {
          method: 'POST',
          headers: headersFor(webhook, delivery, body),
          body,
          signal: AbortSignal.timeout(this.settings.timeoutMs),
          redirect: 'manual',
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
        if (status >= 300) error = `The receiver answered ${status}.`;
      } catch (failure) {
        const e = failure as Error;
        error =
          e.name === 'TimeoutError'
            ? `No answer within ${this.settings.timeoutMs} ms.`
            : `Not sent: ${e.message}`;
      }
    }
    const outcome = webhook ? attemptOutcome(status) : 'failed';
    const attemptsAfter = delivery.attempts + 1;
    const giveUp = outcome === 'retry' && attemptsAfter >= this.settings.maxAttempts;
    const next =
      outcome === 'sent'
        ? { state: 'sent' as const, nextAttemptAt: null }
        : outcome === 'failed' || giveUp
          ? { state: 'failed' as const, nextAttemptAt: null }
          : {
              state: 'pending' as const,
              nextAttemptAt: new Date(
                at.getTime() + retryDelayMs(attemptsAfter + 1, this.settings.retryBaseMs),
              ),
            };
    try {
      await recordAttempt(
        this.db,
        delivery,
        { at: at.toISOString(), status, durationMs: Math.round(performance.now() - started), error },
        next,
      );
    } catch (failure) {
      // Sent but not recorded: it will be sent again (receivers dedupe on x-flightdeck-delivery).
      this.log.warn(`notifications: recording delivery ${delivery.id} failed: ${(failure as Error).message}`);
    }
  }
}

function requestBody(webhook: ConfiguredWebhook, event: NotificationEvent): string {
  return JSON.stringify(webhook.format === 'slack' ? slackMessage(event) : event);
}

function headersFor(webhook: ConfiguredWebhook, delivery: DueDelivery, body: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Flightdeck-Webhooks',
    'x-flightdeck-event': delivery.event.type,
    'x-flightdeck-delivery': delivery.id,
  };
  if (webhook.secret) {
    const timestamp = Math.floor(Date.now() / 1000);
    headers['x-flightdeck-timestamp'] = String(timestamp);
    headers['x-flightdeck-signature'] = webhookSignature(webhook.secret, timestamp, body);
  }
  return headers;
}
