import Type, { type Static } from 'typebox';
import { DateTime, Identifier, Nullable, strict } from './schema-helpers.js';

/** What the deploy started from: the targets a rollback returns to. */
export const DeployBaseline = Type.Object(
  {
    databaseRevision: Nullable(Type.String({ description: 'Alembic revision in the database at prepare' })),
    codeHead: Nullable(Type.String({ description: 'Head of the code’s versions folder at prepare' })),
    aliases: Type.Array(
      Type.Object(
        {
          functionName: Type.String(),
          alias: Type.String(),
          version: Type.String({ description: 'The version the alias pointed to at prepare' }),
        },
        { additionalProperties: false },
      ),
    ),
    frontendRef: Nullable(Type.String({ description: 'Frontend commit or tag at prepare' })),
    snapshot: Nullable(
      Type.Object(
        {
          identifier: Type.String({ description: '<instance>-pre-migration-<UTC stamp>' }),
          instance: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DeployBaseline = Static<typeof DeployBaseline>;

export const DeployPhase = Type.Union([
  Type.Literal('preparing'),
  Type.Literal('ready'),
  Type.Literal('migrating'),
  Type.Literal('verifying'),
  Type.Literal('monitoring'),
  Type.Literal('done'),
  Type.Literal('cancelled'),
  Type.Literal('rolled-back'),
]);
export type DeployPhase = Static<typeof DeployPhase>;

/** The checklist's phases, as in the story's production readiness checklist. */
export const ChecklistPhase = Type.Union([
  Type.Literal('pre-deploy'),
  Type.Literal('during'),
  Type.Literal('post-deploy'),
  Type.Literal('monitoring'),
]);
export type ChecklistPhase = Static<typeof ChecklistPhase>;

export const ChecklistItemState = Type.Union([
  Type.Literal('pass'),
  Type.Literal('fail'),
  Type.Literal('stale'),
  Type.Literal('pending'),
  Type.Literal('signed-off'),
]);
export type ChecklistItemState = Static<typeof ChecklistItemState>;

/** A failing source an item read: which one and what it answered. */
export const EvidenceSourceError = Type.Object(
  {
    source: Type.String({ description: 'e.g. metrics, logs, rds' }),
    code: Type.String(),
    message: Type.String(),
  },
  { additionalProperties: false },
);
export type EvidenceSourceError = Static<typeof EvidenceSourceError>;

/** What an automatic rule asked, what it found and when. */
export const ChecklistEvidence = Type.Object(
  {
    question: Type.String({ description: 'What was asked, in words a person can check by hand' }),
    value: Type.String({ description: 'What the live data answered' }),
    passed: Type.Boolean(),
    /** Still under way (a snapshot being created): neither pass nor fail yet. */
    waiting: Type.Optional(Type.Boolean()),
    evaluatedAt: DateTime,
    /**
     * When the data the rule read was fetched (a source's fetchedAt; the evaluation's own time for
     * what it reads itself). Freshness is judged on it. Null on evidence recorded before it was kept.
     */
    dataFetchedAt: Type.Optional(Nullable(DateTime)),
    /** The source the rule read was failing at the evaluation: the item is stale, never green, until it answers. */
    sourceError: Type.Optional(Nullable(EvidenceSourceError)),
  },
  { additionalProperties: false },
);
export type ChecklistEvidence = Static<typeof ChecklistEvidence>;

export const SignOff = Type.Object(
  {
    by: Type.String(),
    at: DateTime,
    comment: Type.String(),
    revokedBy: Nullable(Type.String()),
    revokedAt: Nullable(DateTime),
    revokeReason: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type SignOff = Static<typeof SignOff>;

export const ChecklistItem = Type.Object(
  {
    id: Type.String(),
    phase: ChecklistPhase,
    title: Type.String(),
    kind: Type.Union([Type.Literal('automatic'), Type.Literal('manual')]),
    state: ChecklistItemState,
    /** Why the item is in its state, one line (e.g. "evidence is 12 min old, window 5 min"). */
    reason: Type.String(),
    evidence: Nullable(ChecklistEvidence),
    /** Seconds since the data behind the evidence was fetched (its evaluation, for older evidence); null without evidence. */
    evidenceAgeSeconds: Nullable(Type.Number()),
    signOff: Nullable(SignOff),
    /** The standing sign-offs, one per lead; the item needs `signOffsNeeded` distinct leads. */
    signOffs: Type.Array(SignOff),
    signOffsNeeded: Type.Integer({ minimum: 0 }),
    /** Whether the item is judged now; an item whose phase is over keeps its final evidence. */
    judgement: Type.Union([Type.Literal('not-yet'), Type.Literal('open'), Type.Literal('final')]),
    description: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type ChecklistItem = Static<typeof ChecklistItem>;

/** The three gates of a deploy's life: go for the migration, healthy after it, go to close. */
export const DeployGate = Type.Union([
  Type.Literal('migration'),
  Type.Literal('healthy'),
  Type.Literal('close'),
]);
export type DeployGate = Static<typeof DeployGate>;

export const DeployVerdict = Type.Object(
  {
    gate: DeployGate,
    /** The gate's question, e.g. "Go for the migration?" */
    question: Type.String(),
    /** `pending`: the gate's question is not asked yet (its items' phase has not begun). */
    verdict: Type.Union([Type.Literal('GO'), Type.Literal('NO-GO'), Type.Literal('pending')]),
    reasons: Type.Array(Type.String()),
  },
  strict,
);
export type DeployVerdict = Static<typeof DeployVerdict>;

export const DeployVerdicts = Type.Object(
  { migration: DeployVerdict, healthy: DeployVerdict, close: DeployVerdict },
  strict,
);
export type DeployVerdicts = Static<typeof DeployVerdicts>;

/** What is being released, as the person or pipeline preparing the deploy describes it. */
export const Release = Type.Object(
  {
    name: Nullable(Type.String({ maxLength: 200, description: 'e.g. v2.14.0' })),
    commit: Nullable(Type.String({ maxLength: 200 })),
    frontendRef: Nullable(Type.String({ maxLength: 200 })),
    url: Nullable(Type.String({ maxLength: 2000, description: 'The pull request or changelog' })),
    notes: Nullable(Type.String({ maxLength: 10_000 })),
    /** The Alembic revision this release brings the database to (the code's head unless said). */
    targetRevision: Nullable(Type.String()),
  },
  strict,
);
export type Release = Static<typeof Release>;

export const ReleaseRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    commit: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    frontendRef: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    targetRevision: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  strict,
);
export type ReleaseRequest = Static<typeof ReleaseRequest>;

export const PrepareDeployRequest = Type.Object({ release: Type.Optional(ReleaseRequest) }, strict);
export type PrepareDeployRequest = Static<typeof PrepareDeployRequest>;

/** What "Prepare deploy" will do, shown before ops confirm it. */
export const PreparePreview = Type.Object(
  {
    environment: Type.String(),
    /** The RDS instance CreateDBSnapshot is called on, in this environment. */
    instance: Type.String(),
    /** The snapshot's name if it were prepared now; the real one is stamped with the time of the confirm. */
    snapshotIdentifier: Type.String(),
    /** The time that name is stamped with (the server's clock: the scenario's in the sandbox). */
    at: Type.String({ format: 'date-time' }),
  },
  strict,
);
export type PreparePreview = Static<typeof PreparePreview>;

export const MigrationStateRequest = Type.Object(
  { state: Type.Union([Type.Literal('started'), Type.Literal('finished')]) },
  strict,
);
export type MigrationStateRequest = Static<typeof MigrationStateRequest>;

export const FinishRequest = Type.Object(
  {
    note: Type.String({
      minLength: 1,
      maxLength: 2000,
      pattern: '\\S',
      description: 'Why the watch closes now',
    }),
  },
  strict,
);
export type FinishRequest = Static<typeof FinishRequest>;

export const CancelRequest = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 2000,
      pattern: '\\S',
      description: 'Why the deploy is not carried out',
    }),
  },
  strict,
);
export type CancelRequest = Static<typeof CancelRequest>;

/** A transition a person or a pipeline asks for through the API. */
export const DeployTransition = Type.Union([
  Type.Literal('migration-started'),
  Type.Literal('migration-finished'),
  Type.Literal('released'),
  Type.Literal('finish'),
  Type.Literal('cancel'),
]);
export type DeployTransition = Static<typeof DeployTransition>;

/** How a deploy ended: by whom or what, and why. */
export const DeployEnding = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('watch-over'),
      Type.Literal('finished'),
      Type.Literal('superseded'),
      Type.Literal('cancelled'),
      Type.Literal('rolled-back'),
    ]),
    by: Type.String({ description: 'A person, or "flightdeck" for what it saw in the live data' }),
    /** The phase the deploy was in when it ended. */
    fromPhase: DeployPhase,
    at: DateTime,
    message: Type.String(),
  },
  strict,
);
export type DeployEnding = Static<typeof DeployEnding>;

export const DeployEvent = Type.Object(
  {
    kind: Type.String({
      description: 'e.g. prepared, snapshot-available, revision-moved, checkpoint, rollback-started',
    }),
    message: Type.String(),
    at: DateTime,
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type DeployEvent = Static<typeof DeployEvent>;

/** One function's p99 over a window: each function is held to its own baseline. */
export const FunctionP99 = Type.Object(
  {
    functionName: Type.String(),
    label: Type.String(),
    invocations: Type.Number(),
    p99Ms: Nullable(Type.Number()),
  },
  { additionalProperties: false },
);
export type FunctionP99 = Static<typeof FunctionP99>;

export const WatchMetrics = Type.Object(
  {
    invocations: Type.Number(),
    errors: Type.Number(),
    /** The slowest function's p99 (one number for tables); the p99 item judges `p99ByFunction`. */
    p99Ms: Nullable(Type.Number()),
    schemaErrors: Type.Number(),
    /** Per function; absent on deploys prepared before it was kept (their p99 item judges `p99Ms`). */
    p99ByFunction: Type.Optional(Type.Array(FunctionP99)),
  },
  { additionalProperties: false },
);
export type WatchMetrics = Static<typeof WatchMetrics>;

export const Deploy = Type.Object(
  {
    id: Type.String(),
    environment: Type.String(),
    phase: DeployPhase,
    preparedBy: Type.String(),
    preparedAt: DateTime,
    baseline: DeployBaseline,
    /** Revisions the database lacked at prepare: what this deploy applies. */
    pendingAtPrepare: Type.Array(Type.String()),
    /** Lambda figures over the error window at prepare: the watch's and the p99 rule's baseline. */
    baselineMetrics: Nullable(WatchMetrics),
    /** When the database reached the release's target revision (the migration), null before. */
    migratedAt: Nullable(DateTime),
    /** What is being released; null for deploys prepared without a word of it. */
    release: Nullable(Release),
    /** The revision the release brings the database to: the code's head at prepare unless the release said. */
    targetRevision: Nullable(Type.String()),
    migrationStartedAt: Nullable(DateTime),
    /** When the release said it went out (or an alias was seen moving), for releases without migrations. */
    releasedAt: Nullable(DateTime),
    /** When the watch's checkpoints count from: the migration, or the release of one without migrations. */
    watchStartedAt: Nullable(DateTime),
    ending: Nullable(DeployEnding),
  },
  { additionalProperties: false },
);
export type Deploy = Static<typeof Deploy>;

export const DeployDetail = Type.Object(
  {
    deploy: Deploy,
    checklist: Type.Array(ChecklistItem),
    /** The current gate's verdict. */
    verdict: DeployVerdict,
    verdicts: DeployVerdicts,
    /** The transitions that apply to the deploy's phase now. */
    transitions: Type.Array(DeployTransition),
    timeline: Type.Array(DeployEvent),
  },
  { additionalProperties: false },
);
export type DeployDetail = Static<typeof DeployDetail>;

export const DeployList = Type.Object(
  {
    deploys: Type.Array(Deploy),
    /** Each deploy's current gate verdict, by deploy id. */
    verdicts: Type.Record(Type.String(), DeployVerdict),
  },
  { additionalProperties: false },
);
export type DeployList = Static<typeof DeployList>;

export const SignOffRequest = Type.Object(
  {
    comment: Type.String({ minLength: 1, pattern: '\\S', description: 'Why the lead judges this item done' }),
  },
  { additionalProperties: false },
);
export type SignOffRequest = Static<typeof SignOffRequest>;

export const RevokeRequest = Type.Object(
  { reason: Type.String({ minLength: 1, pattern: '\\S', description: 'Why the sign-off no longer holds' }) },
  { additionalProperties: false },
);
export type RevokeRequest = Static<typeof RevokeRequest>;

export const DeployParams = Type.Object({ id: Identifier }, { additionalProperties: false });
export const DeployItemParams = Type.Object(
  { id: Identifier, itemId: Identifier },
  { additionalProperties: false },
);
