import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `logs`: the Overview's latest errors and the live tails. */
export const logsSection = Type.Object(
  {
    errorPattern: Type.String({
      default: '?ERROR ?Exception ?Traceback ?"does not exist"',
      description: 'CloudWatch Logs filter pattern for the Overview’s latest errors',
    }),
    windowMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
    callsPerSecond: Type.Number({
      exclusiveMinimum: 0,
      maximum: 25,
      default: 5,
      description:
        'FilterLogEvents calls per second shared by every tail and the Overview (CloudWatch Logs allows 5 to 25 per account and region)',
    }),
    tailBufferLines: Type.Integer({ minimum: 10, maximum: 100_000, default: 2000 }),
    tailBackfillMinutes: Type.Integer({ minimum: 0, maximum: 1440, default: 5 }),
    tailOverlapSeconds: Type.Integer({
      minimum: 1,
      maximum: 600,
      default: 15,
      description:
        'How far each tail poll reaches back before its newest line, for lines CloudWatch ingests late; a line ingested later than this is not shown',
    }),
    tailIdleSeconds: Type.Integer({
      minimum: 0,
      maximum: 3600,
      default: 30,
      description: 'How long a tail nobody watches is kept, paused (no calls), so a reconnect resumes it',
    }),
    maxTailsPerPerson: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 20,
      description:
        'Live tails one person may have open at once (each browser tab’s tail counts); over it, 429 saying the cap',
    }),
    maxTails: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 100,
      description:
        'Distinct tails (function and filter) at once, whoever opened them; a tail nobody watches gives way to a new one',
    }),
    overviewReservedShare: Type.Number({
      minimum: 0,
      maximum: 0.9,
      default: 0.2,
      description:
        'Part of logs.callsPerSecond the Overview’s latest errors keep for themselves: tails, however many, never take it',
    }),
    clientMaxLagLines: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      default: 1000,
      description: 'A viewer that stops reading and falls this far behind is dropped with a notice',
    }),
  },
  strict,
);
