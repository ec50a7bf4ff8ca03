// API tokens: pipelines and scripts act through `Authorization: Bearer fd_…` in every auth mode.
// Ops issue them (the secret shown once, only its hash stored), list and revoke them; the
// platform's auth asks this module's verifier who a token is, against the shared store.
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { TokenRepository } from './store/token-repository.js';
import type { TokenTables } from './store/token-tables.js';
import { StoreTokenVerifier } from './token-verifier.js';
import { tokenRoutes } from './tokens-routes.js';

export const tokensModule = fp(
  async (app) => {
    const tokens = new TokenRepository(app.store.db as unknown as Kysely<TokenTables>);
    // Expiry is real time, not the sandbox's scenario clock: a token's life is the pipeline's.
    const now = () => new Date();
    app.bearerTokens.use(new StoreTokenVerifier(tokens, app.log, { touchEveryMs: 5_000, now }));
    app.access.declare({
      'POST /api/v1/tokens': 'ops',
      'GET /api/v1/tokens': 'ops',
      'DELETE /api/v1/tokens/:id': 'ops',
    });
    await app.register(tokenRoutes, { tokens, maxDays: app.config.auth.tokens.maxDays, now });
  },
  { name: 'flightdeck-tokens', dependencies: ['flightdeck-platform'] },
);
