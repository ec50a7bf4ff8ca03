import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type {
  AppliedRevision,
  MigrationCounts,
  MigrationHistoryData,
  ReportRevision,
} from '@flightdeck/contracts';
import { FindingList } from './finding-item';
import { countOf } from '../../format';
import { findingTally, groupColumnsByTable, revisionRows, type RevisionRow } from './history-view';

const stateLabels: Record<NonNullable<ReportRevision['state']>, string> = {
  applied: 'applied',
  current: 'current',
  pending: 'pending',
  'not-placed': 'not placed',
  undetermined: 'not known',
};

/**
 * The history base → head as a table like the story's: one row per revision with what it does,
 * the database's place in it, and each revision's findings a click away.
 */
export function RevisionTimeline({
  data,
  appliedBy,
}: {
  data: MigrationHistoryData;
  appliedBy: readonly AppliedRevision[];
}) {
  const rows = revisionRows(data, appliedBy);
  // Pending revisions with something to fix start open: that is what the deploy is about to run.
  const [open, setOpen] = useState<Set<string>>(
    () =>
      new Set(
        rows
          .filter((row) => row.revision.state !== 'applied' && row.revision.state !== 'current')
          .filter((row) => row.findings.some((f) => f.severity !== 'info'))
          .map((row) => row.revision.revision),
      ),
  );
  const toggle = (revision: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (!next.delete(revision)) next.add(revision);
      return next;
    });
  return (
    <table className="table timeline" data-testid="revision-timeline">
      <thead>
        <tr>
          <th aria-label="State" />
          <th>Revision</th>
          <th>Message</th>
          <th className="num">Tables</th>
          <th className="num">Columns</th>
          <th className="num">Indexes</th>
          <th className="num">Enum values</th>
          <th>Findings</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <Fragment key={row.revision.revision}>
            <RevisionLine row={row} expanded={open.has(row.revision.revision)} onToggle={toggle} />
            {open.has(row.revision.revision) && <RevisionDetails row={row} />}
          </Fragment>
        ))}
      </tbody>
      <tfoot>
        <tr data-testid="totals-row">
          <td />
          <th colSpan={2} scope="row">
            {totalsLabel(data)}
          </th>
          <CountCells counts={data.report.totals} testIdPrefix="total" />
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function totalsLabel(data: MigrationHistoryData): string {
  const position = data.report.position;
  if (!position) return `All ${countOf(data.report.migrations.length, 'revision')} (database not read)`;
  if (position.unknown.length)
    return 'Nothing Alembic can apply: the database is at a revision this code lacks';
  if (position.pending.length) return `To apply: ${countOf(position.pending.length, 'migration')}`;
  return 'Nothing to apply';
}

function RevisionLine({
  row,
  expanded,
  onToggle,
}: {
  row: RevisionRow;
  expanded: boolean;
  onToggle: (revision: string) => void;
}) {
  const { revision, summary, createdTables, findings } = row;
  const tally = findingTally(findings);
  const columnsOfNewTables = createdTables.reduce((sum, t) => sum + t.columns.length, 0);
  return (
    <tr
      className={`timeline__row timeline__row--${revision.state ?? 'unknown'}`}
      data-testid="revision-row"
      data-revision={revision.revision}
      data-state={revision.state ?? ''}
    >
      <td className="timeline__rail" aria-hidden>
        <span className="timeline__dot" />
      </td>
      <td>
        <code>{revision.revision}</code>
        <div className="marks">
          {revision.state && (
            <span
              className={`mark mark--${revision.state}`}
              data-testid="revision-state"
              title={
                revision.state === 'undetermined'
                  ? 'The database is at a revision this code lacks, so whether this one ran cannot be told.'
                  : undefined
              }
            >
              {stateLabels[revision.state]}
            </span>
          )}
          {revision.head && <span className="mark mark--head">head</span>}
          {revision.mergePoint && <span className="mark">merge</span>}
          {revision.branchPoint && <span className="mark">branch point</span>}
          {revision.branchLabels.map((label) => (
            <span key={label} className="mark">
              {label}
            </span>
          ))}
        </div>
      </td>
      <td>
        {revision.message ?? <span className="muted">(no message)</span>}
        <div className="muted small">
          {revision.createDate ? revision.createDate.slice(0, 16) : 'no Create Date'} · {revision.file}
        </div>
        {row.appliedBy && <AppliedBy applied={row.appliedBy} />}
      </td>
      {summary ? (
        <CountCells
          counts={summary.counts}
          testIdPrefix="count"
          tablesNote={createdTables.length ? countOf(columnsOfNewTables, 'column') : undefined}
        />
      ) : (
        <td colSpan={4} className="muted small">
          not analysed
        </td>
      )}
      <td>
        <button
          type="button"
          className="link-button"
          aria-expanded={expanded}
          data-testid="revision-toggle"
          onClick={() => onToggle(revision.revision)}
        >
          {tally || 'details'} {expanded ? '▴' : '▾'}
        </button>
      </td>
    </tr>
  );
}

function CountCells({
  counts,
  testIdPrefix,
  tablesNote,
}: {
  counts: MigrationCounts;
  testIdPrefix: string;
  tablesNote?: string;
}) {
  const cell = (value: number, key: keyof MigrationCounts, note?: string) => (
    <td className="num" data-testid={`${testIdPrefix}-${key}`} data-value={value}>
      {value ? `+${value}` : <span className="muted">—</span>}
      {value > 0 && note && <span className="muted small"> ({note})</span>}
    </td>
  );
  return (
    <>
      {cell(counts.tables, 'tables', tablesNote)}
      {cell(counts.columns, 'columns')}
      {cell(counts.indexes, 'indexes')}
      {cell(counts.enumValues, 'enumValues')}
    </>
  );
}

function RevisionDetails({ row }: { row: RevisionRow }) {
  const { summary, createdTables, findings } = row;
  const facts: [string, string[]][] = summary
    ? [
        ['Tables created', createdTables.map((t) => `${t.table} (${countOf(t.columns.length, 'column')})`)],
        [
          'Columns added',
          groupColumnsByTable(
            summary.columnsAdded.map((c) => {
              const [table = '', column = ''] = c.split(/\.(.*)/);
              return { table, column };
            }),
          ).map((g) => `${g.table}: ${g.columns.join(', ')}`),
        ],
        ['Indexes', summary.indexesCreated],
        ['Enum values', summary.enumValuesAdded],
        ['Tables dropped', summary.tablesDropped],
        ['Columns dropped', summary.columnsDropped],
        ['Columns altered', summary.columnsAltered],
        ['Locks', summary.locks.map((lock) => `${lock.mode} on ${lock.table}`)],
      ]
    : [];
  const shown = facts.filter(([, items]) => items.length > 0);
  return (
    <tr className="timeline__details" data-testid="revision-details" data-revision={row.revision.revision}>
      <td />
      <td colSpan={7}>
        {shown.length > 0 ? (
          <dl className="facts facts--migration">
            {shown.map(([label, items]) => (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{items.join('; ')}</dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          <p className="muted small">No schema changes found in this revision.</p>
        )}
        {findings.length > 0 ? (
          <FindingList findings={findings} />
        ) : (
          <p className="muted small">
            {row.revision.state === 'applied' || row.revision.state === 'current'
              ? 'Applied; the lint of the run that applied it found nothing.'
              : 'No findings.'}
          </p>
        )}
      </td>
    </tr>
  );
}

/** When, in which deploy (a link to it) and by whom an applied revision was applied. */
function AppliedBy({ applied }: { applied: AppliedRevision }) {
  return (
    <div className="small" data-testid="revision-applied-by">
      applied {applied.appliedAt.slice(0, 16).replace('T', ' ')} UTC in{' '}
      <Link to={`/deploys/${encodeURIComponent(applied.deployId)}`} data-testid="revision-applied-deploy">
        {applied.release ? `${applied.release} (${applied.deployId})` : applied.deployId}
      </Link>
      ,{' '}
      {applied.reportedBy
        ? `reported by ${applied.reportedBy}`
        : `seen by Flightdeck; prepared by ${applied.preparedBy}`}
    </div>
  );
}
