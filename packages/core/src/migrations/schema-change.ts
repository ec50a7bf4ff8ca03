// What a migration statement does to the schema, in one vocabulary whether it was
// written as an Alembic operation or as SQL. The summary, the linter, the expected
// schema and the lock estimate all read these instead of re-reading Python or SQL.
import type { TableLock } from './locks.js';

export interface ForeignKeyTarget {
  table: string;
  columns: string[];
  onDelete: string | null;
}

export interface ColumnSpec {
  name: string;
  /** PostgreSQL type as DDL writes it (VARCHAR(20), TIMESTAMP WITH TIME ZONE, JSONB); null when unknown. */
  type: string | null;
  nullable: boolean;
  /** Server-side default as SQL (`now()`, `'manual_entry'`, `false`); null when none. */
  default: string | null;
  primaryKey: boolean;
  unique: boolean;
  references: ForeignKeyTarget | null;
}

export type ConstraintKind = 'primaryKey' | 'unique' | 'check' | 'foreignKey' | 'exclude';

export interface ConstraintSpec {
  kind: ConstraintKind;
  name: string | null;
  table: string;
  columns: string[];
  /** CHECK condition as SQL. */
  expression: string | null;
  references: ForeignKeyTarget | null;
  /** Added with NOT VALID: existing rows are not checked until VALIDATE CONSTRAINT. */
  notValid: boolean;
  /** ADD CONSTRAINT … USING INDEX: the index already exists, nothing is built. */
  usingIndex: string | null;
}

export interface IndexSpec {
  name: string | null;
  table: string;
  /** Column names, or the expression text for expression indexes. */
  columns: string[];
  unique: boolean;
  concurrently: boolean;
  where: string | null;
}

export interface ColumnAlteration {
  table: string;
  column: string;
  /** `from` is null when the script does not say (Alembic's existing_type). */
  type?: { from: string | null; to: string; using: string | null };
  nullable?: { from: boolean | null; to: boolean };
  default?: { to: string | null };
}

export type DataVerb = 'insert' | 'update' | 'delete' | 'truncate';

export type SchemaChange =
  | {
      kind: 'createTable';
      table: string;
      columns: ColumnSpec[];
      constraints: ConstraintSpec[];
      indexes: IndexSpec[];
    }
  | { kind: 'dropTable'; table: string }
  | { kind: 'renameTable'; table: string; newName: string }
  | { kind: 'addColumn'; table: string; column: ColumnSpec }
  | { kind: 'dropColumn'; table: string; column: string }
  | ({ kind: 'alterColumn' } & ColumnAlteration)
  | { kind: 'renameColumn'; table: string; column: string; newName: string }
  | { kind: 'createIndex'; index: IndexSpec }
  | { kind: 'dropIndex'; name: string; table: string | null; concurrently: boolean }
  | { kind: 'addConstraint'; constraint: ConstraintSpec }
  | { kind: 'validateConstraint'; table: string; name: string }
  | { kind: 'dropConstraint'; table: string; name: string }
  | { kind: 'createEnum'; type: string; values: string[] }
  | { kind: 'addEnumValue'; type: string; value: string }
  | { kind: 'dropType'; type: string }
  | { kind: 'dataChange'; table: string; verb: DataVerb; filtered: boolean }
  | { kind: 'setting'; name: string; value: string }
  /** Anything else; the lock is the analyzer's estimate for that statement. */
  | { kind: 'other'; description: string; locks: TableLock[] };

export type StatementProblemKind = 'syntax-error' | 'unresolved' | 'unsupported';

export interface AnalyzedStatement {
  /** Position in upgrade order within the revision, from 0. */
  index: number;
  origin: 'alembic-op' | 'sql';
  /** `op.add_column`, `ALTER TABLE`, `CREATE INDEX`, … */
  operation: string;
  /** The Python call or the SQL statement, as written. */
  text: string;
  line: number | null;
  /** SQL run by a Python call (op.execute): the call's line, where a suppression comment goes. */
  operationLine?: number;
  /** False inside `autocommit_block()` or, for SQL files, outside BEGIN … COMMIT. */
  transactional: boolean;
  /** Inside an if/else, a loop over unknown items or similar: it may not run. */
  conditional: boolean;
  changes: SchemaChange[];
  /** Table-level locks the statement takes, strongest first. */
  locks: TableLock[];
  strongestLock: TableLock | null;
  /** String constants in the statement (to see a new enum value used). */
  literals: string[];
  /** SQL only: reserved keywords written as bare identifiers (the parser rejects them). */
  unquotedReservedWords: string[];
  problem: { kind: StatementProblemKind; message: string } | null;
}
