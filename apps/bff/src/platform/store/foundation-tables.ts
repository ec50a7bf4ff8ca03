import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Flightdeck's own state that used to live in one process's memory (migration 0001). */
export interface FoundationTables {
  /** A change's Idempotency-Key and, once answered, its answer (kept 24 h). */
  idempotency_keys: {
    id: string;
    fingerprint: string;
    status: number | null;
    payload: string | null;
    content_type: string | null;
    created_at: Timestamp;
    expires_at: Timestamp;
  };
  /** Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
  audit_log: {
    id: string;
    seq: Generated<string>;
    at: Timestamp;
    actor: string;
    role: string | null;
    action: string;
    target: string | null;
    parameters: ColumnType<unknown, string | null, never>;
    result: string;
    correlation_id: string;
    /** What happened in words (0011); null on older rows, whose action says it. */
    summary: string | null;
    /** The wall clock's time when `at` follows the sandbox's scenario clock and differs (0011). */
    wall_at: Timestamp | null;
  };
  /** Deploy markers seen by polling (an alias or the Alembic revision moving), kept for the charts. */
  observed_markers: {
    id: Generated<string>;
    at: Timestamp;
    marker: ColumnType<unknown, string, never>;
  };
}
