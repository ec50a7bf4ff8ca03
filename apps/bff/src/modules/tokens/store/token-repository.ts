// API tokens in the store: issued, listed, looked up by the hash of a secret, revoked, and when
// last used. Every replica reads the same rows, so a revocation holds everywhere at once.
import { randomUUID } from 'node:crypto';
import type { ApiToken, RoleName, TokenState } from '@flightdeck/contracts';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { TokenTables } from './token-tables.js';

type Db = Kysely<TokenTables>;
export type TokenRow = Selectable<TokenTables['api_tokens']>;

/** Serialises issuing across replicas: a name is checked and taken by one at a time. */
const issueLock = 0x66645f746f6b; // "fd_tok"

export interface NewToken {
  secretHash: string;
  name: string;
  role: RoleName;
  issuer: string;
  createdAt: Date;
  expiresAt: Date;
}

export function stateOf(row: Pick<TokenRow, 'revoked_at' | 'expires_at'>, now: Date): TokenState {
  if (row.revoked_at) return 'revoked';
  return new Date(row.expires_at).getTime() <= now.getTime() ? 'expired' : 'active';
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function tokenView(row: TokenRow, now: Date): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as RoleName,
    issuer: row.issuer,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at)!,
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by,
    lastUsedAt: iso(row.last_used_at),
    lastUsedFrom: row.last_used_from,
    state: stateOf(row, now),
  };
}

export class TokenRepository {
  constructor(private readonly db: Db) {}

  /**
   * The new token's row, or null when a live token already has its name. `audit` writes the
   * change's audit row in the same transaction (platform/audit): both or neither.
   */
  async issue(
    token: NewToken,
    audit?: (trx: Transaction<TokenTables>, id: string) => Promise<void>,
  ): Promise<TokenRow | null> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${issueLock})`.execute(trx);
      const taken = await trx
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', token.name)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', token.createdAt)
        .executeTakeFirst();
      if (taken) return null;
      const id = randomUUID();
      const row = await trx
        .insertInto('api_tokens')
        .values({
          id,
          secret_hash: token.secretHash,
          name: token.name,
          role: token.role,
          issuer: token.issuer,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit?.(trx, id);
      return row;
    });
  }

  /** Newest first: live, expired and revoked alike. */
  async list(): Promise<TokenRow[]> {
    return this.db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
  }

  async byHash(secretHash: string): Promise<TokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
  }

  async byId(id: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Revokes a token not yet revoked; undefined when there is none such (unknown or already revoked). */
  async revoke(
    id: string,
    by: string,
    at: Date,
    audit?: (trx: Transaction<TokenTables>, row: TokenRow) => Promise<void>,
  ): Promise<TokenRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: at, revoked_by: by })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (row) await audit?.(trx, row);
      return row;
    });
  }

  /** Where and when it was last used; a replica that wrote less than `sinceMs` ago skips it. */
  async touch(id: string, at: Date, from: string, sinceMs: number): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: at, last_used_from: from })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<=', new Date(at.getTime() - sinceMs)),
          eb('last_used_from', 'is distinct from', from),
        ]),
      )
      .execute();
  }
}
