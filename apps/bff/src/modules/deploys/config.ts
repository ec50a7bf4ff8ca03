import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `deploys`: the readiness checklist, its rules' default thresholds and the watch. */
export const deploysSection = Type.Object(
  {
    checklist: Type.Optional(
      Type.Array(Type.Unknown(), {
        description:
          'The team’s readiness checklist: [{id, phase, title, rule?: {type, ...parameters}, signOffs?, description?}]; the story’s by default. Checked at start-up (checklistConfigProblems).',
      }),
    ),
    snapshotMaxAgeHours: Type.Number({ exclusiveMinimum: 0, default: 24 }),
    p99TolerancePercent: Type.Number({ minimum: 0, default: 50 }),
    errorWindowMinutes: Type.Integer({ minimum: 1, maximum: 60, default: 10 }),
    freshnessSeconds: Type.Integer({
      minimum: 1,
      default: 300,
      description:
        'An automatic item whose data (its source’s fetch, not its evaluation) is older than this shows stale, never green; so does one whose source is failing',
    }),
    healthUrl: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description: 'Answers 200 when the application is healthy (sandbox mode: the sandbox’s own)',
    }),
    watchCheckpointHours: Type.Array(Type.Number({ exclusiveMinimum: 0 }), {
      default: [1, 6, 24],
      minItems: 1,
    }),
    frontendRef: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description: 'The frontend commit or tag recorded in the baseline when the release names none',
    }),
    preparerMaySignOff: Type.Boolean({
      default: false,
      description: 'Whether the person who prepared a deploy may sign off its items',
    }),
    lockWaitAlertSeconds: Type.Number({
      exclusiveMinimum: 0,
      default: 10,
      description: 'A session waiting behind the migration longer than this shows red',
    }),
    lockBlockedAlertCount: Type.Integer({
      minimum: 0,
      default: 5,
      description: 'More sessions than this waiting behind the migration shows red',
    }),
    lockBlockerSeconds: Type.Number({
      minimum: 0,
      default: 10,
      description:
        'no-lock-blockers: a transaction holding a lock the migration needs is a NO-GO reason once open this long',
    }),
    evaluateMs: Type.Integer({
      minimum: 250,
      default: 5000,
      description: 'How often the checklist is evaluated',
    }),
  },
  strict,
);
