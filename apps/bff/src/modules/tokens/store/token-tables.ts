import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** API tokens (migration 0007): only a hash of each secret. */
export interface TokenTables {
  api_tokens: {
    id: string;
    secret_hash: string;
    name: string;
    role: string;
    issuer: string;
    created_at: Timestamp;
    expires_at: Timestamp;
    revoked_at: Timestamp | null;
    revoked_by: string | null;
    last_used_at: Timestamp | null;
    last_used_from: string | null;
  };
}
