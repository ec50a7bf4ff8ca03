import Type, { type Static } from 'typebox';
import type { DeployBaseline } from './deploys.js';
import { Identifier } from './schema-helpers.js';

/** What a rollback returns to: the deploy's baseline. */
export type RollbackBaseline = DeployBaseline;

export const RollbackKind = Type.Union([
  Type.Literal('lambda'),
  Type.Literal('rds'),
  Type.Literal('frontend'),
]);
export type RollbackKind = Static<typeof RollbackKind>;

/**
 * What a rollback acts on: for `lambda` the function name (its alias comes from the deploy's
 * baseline), for `rds` the instance identifier, for `frontend` the frontend's name.
 */
export const RollbackTarget = Type.String({ minLength: 1, maxLength: 140, pattern: '^[A-Za-z0-9_.:$-]+$' });

/** A published Lambda version to go back to; absent: the newest published version older than the live one. */
const TargetVersion = Type.String({ pattern: '^[0-9]{1,10}$', description: 'lambda only' });

export const RollbackPreviewRequest = Type.Object(
  {
    deployId: Identifier,
    kind: RollbackKind,
    target: RollbackTarget,
    version: Type.Optional(TargetVersion),
  },
  { additionalProperties: false },
);
export type RollbackPreviewRequest = Static<typeof RollbackPreviewRequest>;

export const RollbackRequest = Type.Object(
  {
    deployId: Identifier,
    kind: RollbackKind,
    target: RollbackTarget,
    version: Type.Optional(TargetVersion),
    /** The job id the preview proposed, so the job's derived names are the ones shown. */
    jobId: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
    ),
    /** The target's name, typed by the person: must equal `target`. */
    confirmation: Type.String({ maxLength: 140 }),
    /**
     * The alias's RevisionId the preview showed: a change made after the preview is then
     * refused (409) instead of overwritten. Optional: without it, the RevisionId read when
     * the job starts guards the UpdateAlias.
     */
    expectedRevisionId: Type.Optional(Type.String({ maxLength: 100 })),
    /**
     * The version the alias pointed to in the preview (lambda): checked too, since an endpoint
     * may not enforce RevisionId (emulators, proxies); a different version is refused (409).
     */
    expectedVersion: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type RollbackRequest = Static<typeof RollbackRequest>;

export const RollbackParams = Type.Object({ id: Identifier }, { additionalProperties: false });
export type RollbackParams = Static<typeof RollbackParams>;

export const PlannedCall = Type.Object(
  {
    service: Type.String(),
    operation: Type.String(),
    parameters: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type PlannedCall = Static<typeof PlannedCall>;

export const DowngradeReviewView = Type.Object(
  {
    revision: Type.String(),
    effects: Type.Array(Type.String()),
    losesData: Type.Array(Type.String()),
    doesNothing: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const RollbackOrderView = Type.Object(
  {
    order: Type.Union([Type.Literal('alias-alone'), Type.Literal('database-first')]),
    steps: Type.Array(RollbackKind),
    reasons: Type.Array(Type.String()),
    downgrades: Type.Array(DowngradeReviewView),
  },
  { additionalProperties: false },
);
export type RollbackOrderView = Static<typeof RollbackOrderView>;

export const RollbackPlan = Type.Object(
  {
    deployId: Type.String(),
    kind: RollbackKind,
    target: Type.String(),
    /** What the person must type to confirm. */
    confirmationText: Type.String(),
    current: Type.String({ description: 'e.g. "prod -> 7"' }),
    desired: Type.String({ description: 'e.g. "prod -> 6"' }),
    calls: Type.Array(PlannedCall),
    expectedDuration: Type.String(),
    /** The alias's RevisionId now (lambda): send it back as expectedRevisionId. */
    revisionId: Type.Union([Type.String(), Type.Null()]),
    /** The version the alias points to now (lambda): send it back as expectedVersion. */
    currentVersion: Type.Optional(Type.String()),
    /**
     * The id the job will have when started with it (send it back as jobId): names derived from
     * the job, such as the restored instance's, are the real ones in the preview.
     */
    jobId: Type.Optional(Type.String()),
    /** What the person must know before starting, e.g. the writes a restore loses. */
    warnings: Type.Optional(Type.Array(Type.String())),
    order: RollbackOrderView,
    /** Set when the rollback would change nothing or is unsafe: the reason, and the button stays off. */
    blocked: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type RollbackPlan = Static<typeof RollbackPlan>;

export const RollbackState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('running'),
  /** RDS: the restored instance is available; the application still uses the old one until ops cut over. */
  Type.Literal('cut-over-pending'),
  /** Lambda: the alias points to the target; waiting for a whole minute of traffic after the change to judge the error rate. */
  Type.Literal('verifying'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);
export type RollbackState = Static<typeof RollbackState>;

export const RollbackStep = Type.Object(
  {
    name: Type.String(),
    state: Type.Union([
      Type.Literal('pending'),
      Type.Literal('running'),
      Type.Literal('done'),
      Type.Literal('failed'),
    ]),
    detail: Type.Union([Type.String(), Type.Null()]),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type RollbackStep = Static<typeof RollbackStep>;

export const RollbackJob = Type.Object(
  {
    id: Type.String(),
    deployId: Type.String(),
    kind: RollbackKind,
    target: Type.String(),
    requestedBy: Type.String(),
    requestedAt: Type.String({ format: 'date-time' }),
    state: RollbackState,
    plan: RollbackPlan,
    steps: Type.Array(RollbackStep),
    /** What was checked afterwards, one line each (alias points to 6, instance available, error rate falls). */
    verification: Type.Array(
      Type.Object(
        {
          check: Type.String(),
          ok: Type.Boolean(),
          detail: Type.String(),
          pending: Type.Optional(
            Type.Boolean({ description: 'Still being observed (the error rate after a rollback)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** For RDS: what the operator does to cut over to the restored instance. */
    cutOver: Type.Array(Type.String()),
    /** Frontend: the redeploy command's (or webhook's) output, kept. */
    output: Type.Optional(Type.Array(Type.String())),
    error: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type RollbackJob = Static<typeof RollbackJob>;

export const RollbackConflict = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String(),
        message: Type.String(),
        /** What is in the way: the active job, or what changed since the preview. */
        inTheWay: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RollbackConflict = Static<typeof RollbackConflict>;

export const RollbackTargetView = Type.Object(
  {
    kind: RollbackKind,
    target: Type.String(),
    label: Type.String({ description: 'e.g. "prod -> 13" or "restore prod-credmate-pre-migration-…"' }),
    /** Lambda: where the alias points now, the versions it can go back to, and which one by default. */
    lambda: Type.Optional(
      Type.Object(
        {
          alias: Type.String(),
          liveVersion: Type.Union([Type.String(), Type.Null()]),
          baselineVersion: Type.String(),
          defaultVersion: Type.Union([Type.String(), Type.Null()], {
            description: 'The newest published version older than the live one',
          }),
          versions: Type.Array(
            Type.Object(
              {
                version: Type.String(),
                lastModified: Type.Union([Type.String(), Type.Null()]),
                description: Type.Union([Type.String(), Type.Null()]),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The Rollbacks panel: the deploy they target, what can be rolled back, and recent jobs. */
export const RollbacksOverview = Type.Object(
  {
    deploy: Type.Union([
      Type.Object({ id: Type.String(), environment: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    targets: Type.Array(RollbackTargetView),
    jobs: Type.Array(RollbackJob),
  },
  { additionalProperties: false },
);
export type RollbacksOverview = Static<typeof RollbacksOverview>;
