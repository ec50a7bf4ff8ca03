import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from '@flightdeck/contracts';
import { attemptOutcome, maskedWebhookUrl, retryDelayMs, slackMessage, wantsEvent } from './deliveries.js';

describe('webhook deliveries', () => {
  it('matches events by type, by family or all', () => {
    expect(wantsEvent(['*'], 'deploy.prepared')).toBe(true);
    expect(wantsEvent(['rollback.*'], 'rollback.finished')).toBe(true);
    expect(wantsEvent(['rollback.*'], 'deploy.ended')).toBe(false);
    expect(wantsEvent(['deploy.ended'], 'deploy.ended')).toBe(true);
  });

  it('sends on 2xx, retries 429, 5xx and no answer, gives up on other 4xx', () => {
    expect([200, 204, 429, 500, 503, null, 400, 404, 410].map(attemptOutcome)).toEqual([
      'sent',
      'sent',
      'retry',
      'retry',
      'retry',
      'retry',
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('backs off by three each time, with jitter: five tries in about 13 minutes', () => {
    const mid = () => 0.5;
    expect([2, 3, 4, 5].map((n) => retryDelayMs(n, 20_000, mid))).toEqual([20_000, 60_000, 180_000, 540_000]);
    expect(retryDelayMs(2, 20_000, () => 0)).toBe(16_000);
    expect(retryDelayMs(2, 20_000, () => 1)).toBe(24_000);
  });

  it('shows a webhook by its host only', () => {
    expect(maskedWebhookUrl('https://hooks.slack.com/services/T000/B000/XXXX')).toBe(
      'https://hooks.slack.com/…',
    );
  });

  it('writes a Slack message with a text fallback and a link', () => {
    const event: NotificationEvent = {
      id: 'e1',
      type: 'rollback.started',
      at: '2026-02-03T06:30:00.000Z',
      environment: 'production',
      deployId: 'production-20260203T062934Z',
      summary: 'Rollback of orders-api <live> started by omar',
      url: 'https://flightdeck.example.com/rollbacks/j1',
      data: {},
    };
    const message = slackMessage(event);
    expect(message.text).toBe('[production] Rollback of orders-api <live> started by omar');
    expect(JSON.stringify(message.blocks)).toContain('&lt;live&gt;');
    expect(JSON.stringify(message.blocks)).toContain(
      '<https://flightdeck.example.com/rollbacks/j1|Open in Flightdeck>',
    );
  });

  it('lists a verdict change’s reasons and links the deploy’s page', () => {
    const message = slackMessage({
      id: 'e2',
      type: 'deploy.verdict-changed',
      at: '2026-02-03T06:30:00.000Z',
      environment: 'production',
      deployId: 'production-20260203T062934Z',
      summary: 'Deploy production-20260203T062934Z: Go for the migration? GO → NO-GO',
      url: 'https://flightdeck.example.com/deploys/production-20260203T062934Z',
      data: { verdict: 'NO-GO', reasons: ['Snapshot is 30 h old', 'Backups <off>'] },
    });
    expect(message.text).toBe(
      '[production] Deploy production-20260203T062934Z: Go for the migration? GO → NO-GO',
    );
    expect(message.blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '• Snapshot is 30 h old\n• Backups &lt;off&gt;' },
    });
    expect(JSON.stringify(message.blocks)).toContain(
      '<https://flightdeck.example.com/deploys/production-20260203T062934Z|Open in Flightdeck>',
    );
  });
});
