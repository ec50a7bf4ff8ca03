import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** int8 comes back as text on both stores (pg's default, and PGlite's parser in store.ts). */
type BigInt8 = ColumnType<string, string | number, string | number>;

/** Replicas sharing one set of upstream calls (migration 0004). */
export interface ReplicaTables {
  leader_lease: { id: number; epoch: BigInt8; holder: string | null; since: Timestamp | null };
  source_states: {
    name: string;
    epoch: BigInt8;
    version: BigInt8;
    state: ColumnType<unknown, string, string>;
    updated_at: Timestamp;
  };
  live_demands: {
    kind: string;
    key: string;
    params: ColumnType<unknown, string, string>;
    last_wanted_at: Timestamp;
    served_at: Timestamp | null;
  };
  tail_lines: {
    tail_key: string;
    event_id: string;
    timestamp: BigInt8;
    log_stream: string;
    message: string;
    stored_at: Timestamp;
  };
}
