import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `store`: Flightdeck's own state, embedded or on a PostgreSQL server. */
export const storeSection = Type.Object(
  {
    url: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A PostgreSQL server for Flightdeck’s own state (deploys, sign-offs, rollbacks, audit); needed to run more than one replica',
      }),
    ),
    dataDir: Type.String({
      minLength: 1,
      default: '.flightdeck/store',
      description:
        'Without url: the embedded store’s folder (PGlite, one process), relative to the config file',
    }),
    replicaId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 120,
        description: 'This replica’s name in the header and the leader lease (default: hostname-pid)',
      }),
    ),
    leaderPollMs: Type.Integer({
      minimum: 100,
      default: 1000,
      description: 'How often a follower tries to become the collector leader (server store only)',
    }),
  },
  strict,
);
