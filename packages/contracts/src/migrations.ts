// Wire shapes of the migration analysis (packages/core: alembic/*, migrations/*).
// They mirror core's result types field for field; core's report object is what
// the BFF returns and what `flightdeck migrations --json` prints.
import Type, { type Static, type TSchema } from 'typebox';
import { SourceError, SourceState } from './source-state.js';
import { Nullable, strict } from './schema-helpers.js';

export const LockLevel = Type.Union(
  [
    Type.Literal('AccessShareLock'),
    Type.Literal('RowShareLock'),
    Type.Literal('RowExclusiveLock'),
    Type.Literal('ShareUpdateExclusiveLock'),
    Type.Literal('ShareLock'),
    Type.Literal('ShareRowExclusiveLock'),
    Type.Literal('ExclusiveLock'),
    Type.Literal('AccessExclusiveLock'),
  ],
  { description: 'PostgreSQL table-level lock mode (weakest to strongest)' },
);
export type LockLevel = Static<typeof LockLevel>;

export const TableLock = Type.Object({ table: Type.String(), mode: LockLevel }, strict);
export type TableLock = Static<typeof TableLock>;

export const FindingSeverity = Type.Union([
  Type.Literal('error'),
  Type.Literal('warning'),
  Type.Literal('info'),
]);
export type FindingSeverity = Static<typeof FindingSeverity>;

export const MigrationFinding = Type.Object(
  {
    ruleId: Type.String({
      description: 'e.g. create-index-not-concurrently, multiple-heads, database-revision-unknown',
    }),
    severity: FindingSeverity,
    revision: Type.Optional(Type.String()),
    file: Type.Optional(Type.String()),
    line: Type.Optional(Type.Integer({ minimum: 1 })),
    statement: Type.Optional(Type.String()),
    table: Type.Optional(Type.String()),
    lock: Type.Optional(LockLevel),
    message: Type.String(),
    explanation: Type.Optional(Type.String()),
    safeAlternative: Type.Optional(Type.String()),
    lockWork: Type.Optional(
      Type.Union(
        [
          Type.Literal('rewrite'),
          Type.Literal('scan'),
          Type.Literal('index-build'),
          Type.Literal('row-update'),
        ],
        { description: 'What takes time while the lock is held; the table size decides how long' },
      ),
    ),
    tableSize: Type.Optional(
      Type.Object(
        {
          rows: Nullable(Type.Number({ description: 'pg_class.reltuples; null when never analysed' })),
          bytes: Type.Number({ description: 'pg_total_relation_size' }),
          lockSeconds: Nullable(
            Type.Number({ description: 'Estimated time under the lock at lint.rewriteMBPerSecond' }),
          ),
        },
        strict,
      ),
    ),
    suppressed: Type.Optional(
      Type.Object(
        { reason: Type.String() },
        { ...strict, description: 'Waived by a flightdeck: ignore comment' },
      ),
    ),
  },
  strict,
);
export type MigrationFinding = Static<typeof MigrationFinding>;

export const RevisionState = Type.Union([
  Type.Literal('applied'),
  Type.Literal('current'),
  Type.Literal('pending'),
  Type.Literal('not-placed'),
  Type.Literal('undetermined'),
]);
export type RevisionState = Static<typeof RevisionState>;

export const ReportRevision = Type.Object(
  {
    revision: Type.String(),
    file: Type.String(),
    message: Nullable(Type.String()),
    createDate: Nullable(Type.String()),
    downRevisions: Type.Array(Type.String()),
    branchLabels: Type.Array(Type.String()),
    head: Type.Boolean(),
    mergePoint: Type.Boolean(),
    branchPoint: Type.Boolean(),
    state: Nullable(RevisionState),
  },
  strict,
);
export type ReportRevision = Static<typeof ReportRevision>;

export const MigrationCounts = Type.Object(
  {
    tables: Type.Integer({ description: 'Tables created' }),
    columns: Type.Integer({ description: 'Columns added to existing tables' }),
    indexes: Type.Integer({ description: 'Indexes created' }),
    enumValues: Type.Integer({ description: 'Enum values added' }),
  },
  strict,
);
export type MigrationCounts = Static<typeof MigrationCounts>;

export const ReportMigration = Type.Object(
  {
    revision: Type.String(),
    message: Nullable(Type.String()),
    counts: MigrationCounts,
    tablesCreated: Type.Array(Type.String()),
    tablesDropped: Type.Array(Type.String()),
    columnsAdded: Type.Array(Type.String({ description: 'table.column' })),
    columnsDropped: Type.Array(Type.String()),
    columnsAltered: Type.Array(Type.String()),
    indexesCreated: Type.Array(Type.String()),
    enumValuesAdded: Type.Array(Type.String({ description: 'type.value' })),
    locks: Type.Array(TableLock, { description: 'Strongest lock per table, strongest first' }),
  },
  strict,
);
export type ReportMigration = Static<typeof ReportMigration>;

export const TableColumn = Type.Object({ table: Type.String(), column: Type.String() }, strict);
export type TableColumn = Static<typeof TableColumn>;

export const SchemaDrift = Type.Object(
  {
    missingTables: Type.Array(Type.String()),
    missingColumns: Type.Array(TableColumn),
    extraTables: Type.Array(Type.String()),
    extraColumns: Type.Array(TableColumn),
  },
  strict,
);
export type SchemaDrift = Static<typeof SchemaDrift>;

export const MigrationReport = Type.Object(
  {
    revisions: Type.Array(ReportRevision),
    heads: Type.Array(Type.String()),
    position: Nullable(
      Type.Object(
        {
          current: Type.Array(Type.String({ description: 'alembic_version rows' })),
          pending: Type.Array(Type.String({ description: 'In upgrade order' })),
          unknown: Type.Array(
            Type.String({ description: 'Rows no script declares: database ahead or diverged' }),
          ),
          upToDate: Type.Boolean(),
        },
        strict,
      ),
    ),
    migrations: Type.Array(ReportMigration),
    totals: MigrationCounts,
    findings: Type.Array(MigrationFinding, { description: 'Errors first' }),
    findingCounts: Type.Object(
      {
        error: Type.Integer(),
        warning: Type.Integer(),
        info: Type.Integer(),
        suppressed: Type.Optional(Type.Integer({ description: 'Not in the other counts' })),
      },
      strict,
    ),
    tableSizes: Type.Optional(
      Type.Union([Type.Literal('live'), Type.Literal('unknown')], {
        description: 'Whether findings were weighed by the live tables (pg_class) or sizes are unknown',
      }),
    ),
    drift: Nullable(
      Type.Object(
        {
          missingTables: Type.Array(Type.String()),
          missingColumns: Type.Array(TableColumn),
          extraTables: Type.Array(Type.String()),
          extraColumns: Type.Array(TableColumn),
          summary: Type.String({ description: 'e.g. "3 tables and 22 columns missing"' }),
        },
        strict,
      ),
    ),
  },
  strict,
);
export type MigrationReport = Static<typeof MigrationReport>;

// The Migration History page (GET /api/v1/migrations): core's report plus what the page
// needs around it — every revision's summary, the folder and the database reading's age.
export const MigrationDatabaseReading = Type.Object(
  {
    via: Type.Union([Type.Literal('direct'), Type.Literal('lambda')]),
    readAt: Nullable(
      Type.String({
        format: 'date-time',
        description: 'When the position and drift shown were read; null before the first success',
      }),
    ),
    error: Nullable(SourceError),
  },
  strict,
);
export type MigrationDatabaseReading = Static<typeof MigrationDatabaseReading>;

export const MigrationHistoryData = Type.Object(
  {
    versionsDir: Type.String(),
    folderProblem: Nullable(
      Type.String({ description: 'Why the versions folder could not be read at all, in words' }),
    ),
    report: MigrationReport,
    revisionSummaries: Type.Array(ReportMigration, {
      description: 'What every revision does, in history order (report.migrations holds the pending ones)',
    }),
    createdTables: Type.Array(
      Type.Object(
        { revision: Type.String(), table: Type.String(), columns: Type.Array(Type.String()) },
        strict,
      ),
      { description: 'The columns of every table a revision creates ("+1 table (11 columns)")' },
    ),
    missingEnumValues: Nullable(
      Type.Array(Type.String({ description: 'type.value' }), {
        description: 'Enum values the migrations add that the database lacks; null without a reading',
      }),
    ),
    appliedFindings: Type.Optional(
      Type.Array(MigrationFinding, {
        description:
          'The safety findings of the revisions already applied, linted as the run that applied them: history, not holding anything back',
      }),
    ),
    database: MigrationDatabaseReading,
  },
  strict,
);
export type MigrationHistoryData = Static<typeof MigrationHistoryData>;

/** A revision a deploy applied: when the database reached it, in which deploy, who prepared and who reported it. */
export const AppliedRevision = Type.Object(
  {
    revision: Type.String(),
    deployId: Type.String(),
    appliedAt: Type.String({ format: 'date-time' }),
    /** Who prepared the deploy. */
    preparedBy: Type.String(),
    /** Who said the migration finished; null when Flightdeck saw the database reach the target itself. */
    reportedBy: Nullable(Type.String()),
    release: Nullable(Type.String()),
  },
  strict,
);
export type AppliedRevision = Static<typeof AppliedRevision>;

export const MigrationHistory = Type.Object(
  {
    environment: Type.String(),
    serverTime: Type.String({ format: 'date-time', description: 'For ages computed in the browser' }),
    history: SourceState(MigrationHistoryData),
    /** Which deploy applied each applied revision, when and by whom (from the deploys' records). */
    appliedBy: Type.Optional(Type.Array(AppliedRevision)),
  },
  strict,
);
export type MigrationHistory = Static<typeof MigrationHistory>;
