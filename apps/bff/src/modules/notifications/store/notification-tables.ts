import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** The notifications outbox (migration 0006). */
export interface NotificationTables {
  notification_deliveries: {
    id: string;
    seq: Generated<string>;
    event_id: string;
    type: string;
    deploy_id: string | null;
    ordering_key: string;
    webhook: string;
    event: ColumnType<unknown, string, string>;
    state: string;
    created_at: Timestamp;
    next_attempt_at: Timestamp | null;
    attempts: Generated<number>;
  };
  notification_attempts: {
    delivery_id: string;
    attempt: number;
    at: Timestamp;
    status: number | null;
    duration_ms: number;
    error: string | null;
  };
}
