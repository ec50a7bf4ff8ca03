import type { ColumnType } from 'kysely';

/** Flightdeck's rollback jobs: the row is written before any AWS call; the job (plan, steps) as JSON. */
export interface RollbackJobsTable {
  id: string;
  deploy_id: string;
  kind: string;
  target: string;
  /** pending | running | succeeded | failed; the partial unique index reads it. */
  state: string;
  requested_by: string;
  requested_at: ColumnType<Date, string, string>;
  idempotency_key: string;
  expected_revision_id: string | null;
  /** The RollbackJob as the API shows it. */
  job: ColumnType<unknown, string, string>;
}

export interface RollbackTables {
  rollback_jobs: RollbackJobsTable;
}
