import type { Kysely } from 'kysely';

export const name = '0007_api_tokens';

// Kysely migrations take an untyped database: the schema they build is what later types describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // API tokens for pipelines. The secret itself is never stored: only its SHA-256, which a
  // request's token is looked up by (the token holds 256 random bits, so no salt or slow hash).
  await db.schema
    .createTable('api_tokens')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'text')
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('last_used_from', 'text')
    .execute();
  // A name is unique among live tokens (not revoked, not expired): "live" moves with the clock, so
  // no index can say it; issuing checks it under a transaction lock (token-repository.ts).
  await db.schema.createIndex('api_tokens_name').ifNotExists().on('api_tokens').column('name').execute();
}
