import Type, { type Static } from 'typebox';
import { DateTime, Identifier, Nullable, strict } from './schema-helpers.js';
import { RoleName } from './session.js';

/** What a pipeline or script is called in the audit log: `token <name> (issued by <person>)`. */
export const TokenName = Type.String({
  minLength: 1,
  maxLength: 80,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'Letters, digits, . _ -; unique among the tokens not revoked or expired',
});

/** `POST /api/v1/tokens`: a token for a pipeline, its role at most the issuer's. */
export const IssueTokenRequest = Type.Object(
  {
    name: TokenName,
    role: RoleName,
    expiresInDays: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Default 90; at most auth.tokens.maxDays' }),
    ),
  },
  strict,
);
export type IssueTokenRequest = Static<typeof IssueTokenRequest>;

/** The answer to issuing: the only time the secret `token` is ever shown. */
export const IssuedToken = Type.Object(
  {
    id: Type.String(),
    token: Type.String({
      description: 'fd_… — send as Authorization: Bearer; shown once, stored only as a hash',
    }),
    name: Type.String(),
    role: RoleName,
    expiresAt: DateTime,
  },
  strict,
);
export type IssuedToken = Static<typeof IssuedToken>;

export const TokenState = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
]);
export type TokenState = Static<typeof TokenState>;

/** A token as the list shows it: never its secret. */
export const ApiToken = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: RoleName,
    issuer: Type.String(),
    createdAt: DateTime,
    expiresAt: DateTime,
    revokedAt: Nullable(DateTime),
    revokedBy: Nullable(Type.String()),
    lastUsedAt: Nullable(DateTime),
    lastUsedFrom: Nullable(Type.String({ description: 'The client address of its last use' })),
    state: TokenState,
  },
  strict,
);
export type ApiToken = Static<typeof ApiToken>;

export const TokenList = Type.Object({ tokens: Type.Array(ApiToken) }, strict);
export type TokenList = Static<typeof TokenList>;

export const TokenParams = Type.Object({ id: Identifier }, strict);
