import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `overview`: the published overview and its event stream. */
export const overviewSection = Type.Object(
  {
    maxStreamsPerPerson: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 10,
      description:
        'Event streams (GET /api/v1/events, one per open tab) one person may hold at once; over it, 429 saying the cap',
    }),
  },
  strict,
);
