// Who a bearer token is, asked of the store on every request: no cache, so a token revoked on any
// replica is refused by every replica on its next request (one indexed read per pipeline call).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RoleName } from '@flightdeck/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { BearerTokenRefused, type BearerTokenVerifier } from '../../platform/auth/bearer-tokens.js';
import type { Identity } from '../../platform/auth/identity.js';
import type { TokenRepository } from './store/token-repository.js';

/** A new secret: `fd_` and 32 random bytes (256 bits) as base64url. */
export function newTokenSecret(): string {
  return `fd_${randomBytes(32).toString('base64url')}`;
}

/** What the store keeps instead of the secret. */
export function secretHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How a token's person reads in the audit log and on every record of what it did. */
export function tokenActor(name: string, issuer: string): string {
  return `token ${name} (issued by ${issuer})`;
}

const when = (value: Date | string) => new Date(value).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export class StoreTokenVerifier implements BearerTokenVerifier {
  /** Token id → when this replica last wrote its last use. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly tokens: TokenRepository,
    private readonly log: FastifyBaseLogger,
    private readonly options: { touchEveryMs: number; now: () => Date } = {
      touchEveryMs: 5_000,
      now: () => new Date(),
    },
  ) {}

  async verify(token: string, from: string): Promise<Identity> {
    const hash = secretHash(token);
    const row = await this.tokens.byHash(hash);
    // The lookup is by hash already; the comparison is constant-time all the same.
    if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash)))
      throw new BearerTokenRefused(
        'unknown',
        'The API token is unknown: it was never issued here (or the store was reset). Ask ops for a token from the Tokens page.',
        `sha256:${hash.slice(0, 12)}`,
      );
    const now = this.options.now();
    if (row.revoked_at)
      throw new BearerTokenRefused(
        'revoked',
        `The API token "${row.name}" was revoked at ${when(row.revoked_at)} by ${row.revoked_by ?? 'someone'}.`,
        row.id,
      );
    if (new Date(row.expires_at).getTime() <= now.getTime())
      throw new BearerTokenRefused(
        'expired',
        `The API token "${row.name}" expired at ${when(row.expires_at)}; ask ops for a new one.`,
        row.id,
      );
    this.noteUse(row.id, now, from);
    const actor = tokenActor(row.name, row.issuer);
    return {
      user: actor,
      name: actor,
      email: null,
      groups: [],
      via: 'token',
      fixedRole: row.role as RoleName,
      tokenId: row.id,
    };
  }

  /** At most one write per token every few seconds per replica, never waited for. */
  private noteUse(id: string, now: Date, from: string): void {
    const last = this.touched.get(id);
    if (last !== undefined && now.getTime() - last < this.options.touchEveryMs) return;
    this.touched.set(id, now.getTime());
    if (this.touched.size > 10_000) this.touched.clear();
    this.tokens
      .touch(id, now, from, this.options.touchEveryMs)
      .catch((error: unknown) => this.log.warn({ err: error, token: id }, 'API token last use not recorded'));
  }
}
