import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date | string, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type NullableTimestamp = ColumnType<
  Date | string | null,
  Date | string | null | undefined,
  Date | string | null
>;
type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;

/** Flightdeck's own tables for deploys: the deploy, its timeline, its evidence and its sign-offs. */
export interface DeployTables {
  deploys: {
    id: string;
    environment: string;
    phase: string;
    prepared_by: string;
    prepared_at: Timestamp;
    baseline: Json<unknown>;
    pending_at_prepare: Json<unknown>;
    baseline_metrics: ColumnType<unknown, string | null, string | null>;
    migrated_at: NullableTimestamp;
    release: NullableJson;
    checklist: NullableJson;
    target_revision: ColumnType<string | null, string | null | undefined, string | null>;
    migration_started_at: NullableTimestamp;
    released_at: NullableTimestamp;
    watch_started_at: NullableTimestamp;
    ending: NullableJson;
    schema_errors_count: ColumnType<number | null, number | null | undefined, number | null>;
    schema_errors_since: NullableTimestamp;
    schema_errors_counted_to: NullableTimestamp;
    schema_errors_recent: NullableJson;
    /** The current gate's verdict as last told to the webhooks (0008); null: not told, NO-GO. */
    told_verdict: ColumnType<string | null, string | null | undefined, string | null>;
  };
  deploy_events: {
    id: Generated<number>;
    deploy_id: string;
    kind: string;
    message: string;
    at: Timestamp;
    details: Json<Record<string, unknown>>;
    /** 0010: set on events detected from live data, unique per deploy (written once across replicas). */
    key: ColumnType<string | null, string | null | undefined, string | null>;
  };
  deploy_evidence: {
    id: Generated<number>;
    deploy_id: string;
    item_id: string;
    question: string;
    value: string;
    passed: boolean;
    waiting: ColumnType<boolean, boolean | undefined, boolean>;
    evaluated_at: Timestamp;
    data_fetched_at: NullableTimestamp;
    source_error: NullableJson;
  };
  deploy_sign_offs: {
    id: Generated<number>;
    deploy_id: string;
    item_id: string;
    signed_by: string;
    signed_at: Timestamp;
    comment: string;
    revoked_by: string | null;
    revoked_at: ColumnType<Date | string | null, Date | string | null | undefined, Date | string | null>;
    revoke_reason: string | null;
  };
}
