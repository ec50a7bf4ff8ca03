import Type, { type Static } from 'typebox';

/** Which replica answered and which one leads the collectors (all replicas serve what it polled). */
export const ReplicaInfo = Type.Object(
  {
    replicaId: Type.String(),
    leaderId: Type.Union([Type.String(), Type.Null()]),
    leading: Type.Boolean(),
    /** The leader's fencing epoch as last seen; null on the embedded store (one process, always leading). */
    epoch: Type.Union([Type.String(), Type.Null()]),
    leaderSince: Type.Union([Type.String(), Type.Null()]),
    store: Type.Union([Type.Literal('embedded'), Type.Literal('server')]),
  },
  { additionalProperties: false },
);
export type ReplicaInfo = Static<typeof ReplicaInfo>;
