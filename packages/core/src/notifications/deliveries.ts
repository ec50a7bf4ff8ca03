// How a webhook delivery goes: which webhooks want an event, what a receiver's answer means,
// when to try again, how a URL is shown, and the message a Slack incoming webhook accepts.
import type { NotificationEvent, NotificationEventType } from '@flightdeck/contracts';

/** `["*"]` or a list of event types: whether this webhook wants this event. */
export function wantsEvent(patterns: readonly string[], type: NotificationEventType): boolean {
  return patterns.some(
    (p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))),
  );
}

export type AttemptOutcome = 'sent' | 'retry' | 'failed';

/**
 * What one attempt's answer means: 2xx sent; 429, 5xx, a timeout or no answer are worth another
 * try; any other 4xx is the receiver refusing this event (retrying would be refused again).
 */
export function attemptOutcome(status: number | null): AttemptOutcome {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'sent';
  if (status === 429 || status >= 500) return 'retry';
  return 'failed';
}

/**
 * The wait before attempt `next` (2, 3, …): `baseMs` × 3^(next-2), ±20 % jitter so many
 * deliveries that failed together do not retry together. With the default 20 s and 5 tries:
 * about 20 s, 1 min, 3 min, 9 min — some 13 minutes in all.
 */
export function retryDelayMs(next: number, baseMs: number, random: () => number = Math.random): number {
  const plain = baseMs * 3 ** Math.max(0, next - 2);
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/** A webhook URL fit for a page or a log: scheme and host only (its path is often the secret). */
export function maskedWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '(an unparseable URL)';
  }
}

/** Slack's incoming-webhook message: a text fallback and blocks with a link to the page. */
export function slackMessage(event: NotificationEvent): { text: string; blocks: unknown[] } {
  const where = event.deployId ? ` · deploy ${event.deployId}` : '';
  const text = `[${event.environment}] ${event.summary}`;
  // A verdict's reasons (deploy.verdict-changed), one a line: what the lead acts on.
  const reasons = Array.isArray(event.data.reasons)
    ? event.data.reasons.filter((r): r is string => typeof r === 'string')
    : [];
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(event.summary)}*` } },
      ...(reasons.length > 0
        ? [
            {
              type: 'section',
              text: { type: 'mrkdwn', text: reasons.map((r) => `• ${escapeSlack(r)}`).join('\n') },
            },
          ]
        : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${escapeSlack(event.type)} · ${escapeSlack(event.environment)}${escapeSlack(where)}${
              event.url ? ` · <${event.url}|Open in Flightdeck>` : ''
            }`,
          },
        ],
      },
    ],
  };
}

/** Slack's mrkdwn treats &, < and > as markup: escaped as its documentation asks. */
function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
