import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApiToken,
  ErrorResponse,
  IssuedToken,
  IssueTokenRequest,
  TokenList,
  TokenParams,
} from '@flightdeck/contracts';
import { personOf } from '../../platform/audit/change-words.js';
import { roleAllows } from '../../platform/auth/roles.js';
import { BadInput, Conflict, Forbidden, NotFound } from '../../platform/errors/errors.js';
import { tokenView, type TokenRepository } from './store/token-repository.js';
import type { TokenTables } from './store/token-tables.js';
import { newTokenSecret, secretHash } from './token-verifier.js';

const dayMs = 24 * 60 * 60 * 1000;
export const defaultTokenDays = 90;

/** Issue (the secret shown once), list (never the secret) and revoke API tokens; ops only. */
export const tokenRoutes: FastifyPluginAsyncTypebox<{
  tokens: TokenRepository;
  maxDays: number;
  now: () => Date;
}> = async (app, { tokens, maxDays, now }) => {
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

  app.post(
    '/api/v1/tokens',
    {
      // The answer holds the secret: its Idempotency-Key keeps no copy of it.
      config: { answerHoldsSecret: true },
      schema: {
        summary: 'Issue an API token for a pipeline: its role at most yours; the secret is shown once',
        tags: ['tokens'],
        body: IssueTokenRequest,
        response: { 201: IssuedToken, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      // 90 days unless asked otherwise, or the cap when config caps lower.
      const { name, role, expiresInDays = Math.min(defaultTokenDays, maxDays) } = request.body;
      const issuer = request.identity!;
      // A leaked token must not be able to mint others that outlive its revocation.
      if (issuer.via === 'token')
        throw new Forbidden(
          'IssuedByPeopleOnly',
          'API tokens are issued by people, not by other tokens: ask ops to issue one on the Tokens page.',
        );
      if (!roleAllows(request.role, role))
        throw new Forbidden(
          'RoleAboveYours',
          `A token's role is at most its issuer's: ${issuer.name} has role ${request.role ?? 'none'} and cannot issue a ${role} token.`,
        );
      if (expiresInDays > maxDays)
        throw new BadInput(
          'ExpiryTooLong',
          `A token lives at most ${maxDays} days here (auth.tokens.maxDays); ${expiresInDays} were asked for.`,
        );
      const secret = newTokenSecret();
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + expiresInDays * dayMs);
      const row = await tokens.issue(
        { secretHash: secretHash(secret), name, role, issuer: issuer.user, createdAt, expiresAt },
        // The token and its audit row: one transaction (the row never holds the secret).
        (trx, id) =>
          request.audit.within<TokenTables>(trx, {
            summary: `${personOf(issuer.user)} issued the ${role} API token “${name}”, expiring ${expiresAt.toISOString().slice(0, 10)}`,
            target: `token ${name}`,
            made: id,
          }),
      );
      if (!row)
        throw new Conflict(
          'TokenNameTaken',
          `A live token is already named "${name}": revoke it first, or pick another name.`,
        );
      return reply.code(201).send({
        id: row.id,
        token: secret,
        name: row.name,
        role,
        expiresAt: new Date(row.expires_at).toISOString(),
      });
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        summary: 'Every API token: name, role, issuer, when it expires and was last used, and from where',
        tags: ['tokens'],
        response: { 200: TokenList, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async () => {
      const at = now();
      return { tokens: (await tokens.list()).map((row) => tokenView(row, at)) };
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        summary: 'Revoke an API token: every replica refuses it from its next request',
        tags: ['tokens'],
        params: TokenParams,
        response: { 200: ApiToken, ...errors, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const by = request.identity!.user;
      const revoked = await tokens.revoke(id, by, now(), (trx, row) =>
        request.audit.within<TokenTables>(trx, {
          summary: `${personOf(by)} revoked the ${row.role} API token “${row.name}” (issued by ${personOf(row.issuer)})`,
          target: `token ${row.name}`,
          // The answer is the token's view: the row reads "200 id …" as the hook's rows do.
          made: row.id,
        }),
      );
      if (revoked) return tokenView(revoked, now());
      const existing = await tokens.byId(id);
      if (!existing) throw new NotFound('TokenNotFound', `There is no API token ${id}.`);
      throw new Conflict(
        'TokenAlreadyRevoked',
        `The API token "${existing.name}" was already revoked by ${existing.revoked_by ?? 'someone'}.`,
      );
    },
  );
};
