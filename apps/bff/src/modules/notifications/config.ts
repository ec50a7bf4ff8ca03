import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

const Webhook = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_.-]+$' }),
    url: Type.String({ pattern: '^https?://', description: 'Where events are POSTed (never shown whole)' }),
    events: Type.Array(Type.String({ minLength: 1 }), {
      default: ['*'],
      minItems: 1,
      description: 'Event types ("deploy.ended"), families ("rollback.*") or "*" for all',
    }),
    format: Type.Union([Type.Literal('slack'), Type.Literal('json')], {
      default: 'json',
      description:
        'slack: a message an incoming webhook accepts; json: the event, signed when secretEnv is set',
    }),
    secretEnv: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        description: 'The environment variable holding the signing secret (x-flightdeck-signature)',
      }),
    ),
  },
  strict,
);

/** `notifications`: webhooks told of what happens during a release, through a durable outbox. */
export const notificationsSection = Type.Object(
  {
    webhooks: Type.Array(Webhook, { default: [] }),
    maxAttempts: Type.Integer({ minimum: 1, maximum: 20, default: 5 }),
    retryBaseSeconds: Type.Number({
      exclusiveMinimum: 0,
      default: 20,
      description: 'The first retry’s wait; each next one three times longer, with jitter',
    }),
    timeoutSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 60, default: 10 }),
    pollMs: Type.Integer({
      minimum: 50,
      default: 1000,
      description: 'How often the leader sends what is due',
    }),
  },
  strict,
);
