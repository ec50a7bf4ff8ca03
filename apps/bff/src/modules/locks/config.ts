import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `locks`: how often the target database's locks are read (pg_stat_activity + pg_locks). */
export const locksSection = Type.Object(
  {
    readyIntervalMs: Type.Integer({
      minimum: 250,
      default: 3000,
      description: 'While a deploy is preparing or ready: would its migration wait?',
    }),
    migratingIntervalMs: Type.Integer({
      minimum: 250,
      default: 1000,
      description: 'While the migration runs (told through the API, or its session seen): who waits',
    }),
    idleIntervalMs: Type.Integer({
      minimum: 250,
      default: 30000,
      description: 'With no deploy before or in its migration',
    }),
    timeoutMs: Type.Integer({
      minimum: 50,
      default: 2000,
      description: 'The poll query’s statement timeout; a poll that times out shows as the panel’s error',
    }),
    queryChars: Type.Integer({
      minimum: 20,
      maximum: 2000,
      default: 300,
      description: 'How much of each session’s query text is read (redacted like log lines)',
    }),
  },
  strict,
);
