import Type, { type Static } from 'typebox';
import { DateTime, Identifier, Nullable } from './schema-helpers.js';

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

/** What an automatic rule asked, what it found and when. */
export const ChecklistEvidence = Type.Object(
  {
    question: Type.String({ description: 'What was asked, in words a person can check by hand' }),
    value: Type.String({ description: 'What the live data answered' }),
    passed: Type.Boolean(),
    evaluatedAt: DateTime,
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
    /** Seconds since the evidence was taken, null without evidence. */
    evidenceAgeSeconds: Nullable(Type.Number()),
    signOff: Nullable(SignOff),
  },
  { additionalProperties: false },
);
export type ChecklistItem = Static<typeof ChecklistItem>;

export const DeployVerdict = Type.Object(
  {
    verdict: Type.Union([Type.Literal('GO'), Type.Literal('NO-GO')]),
    reasons: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type DeployVerdict = Static<typeof DeployVerdict>;

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

export const WatchMetrics = Type.Object(
  {
    invocations: Type.Number(),
    errors: Type.Number(),
    p99Ms: Nullable(Type.Number()),
    schemaErrors: Type.Number(),
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
    /** When the database reached the code's head (the migration), null before. */
    migratedAt: Nullable(DateTime),
  },
  { additionalProperties: false },
);
export type Deploy = Static<typeof Deploy>;

export const DeployDetail = Type.Object(
  {
    deploy: Deploy,
    checklist: Type.Array(ChecklistItem),
    verdict: DeployVerdict,
    timeline: Type.Array(DeployEvent),
  },
  { additionalProperties: false },
);
export type DeployDetail = Static<typeof DeployDetail>;

export const DeployList = Type.Object(
  {
    deploys: Type.Array(Deploy),
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
