import type { MigrationHistory, MigrationHistoryData, SourceStateOf } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { migrationHistoryQuery } from '../../api/migrations';
import { SourceCard } from '../../components/source-card';
import { DatabasePositionPanel } from './database-position-panel';
import { DriftPanel } from './drift-panel';
import { FindingList } from './finding-item';
import { FolderProblems } from './folder-problems';
import { generalFindings } from './history-view';
import { RevisionTimeline } from './revision-timeline';
import './migration-history.css';

/**
 * The database's part of the history: its own age and error, so a failing database
 * degrades these panels alone while the history from the folder stays current.
 */
function databaseState<T>(
  history: MigrationHistory['history'],
  select: (data: MigrationHistoryData) => T | null,
): SourceStateOf<T> {
  const data = history.data;
  return {
    data: data && data.database.readAt ? select(data) : null,
    fetchedAt: data?.database.readAt ?? null,
    error: data?.database.error ?? null,
    intervalMs: history.intervalMs,
  };
}

/** Is it safe to go: what the deploy will migrate, what each step does and risks, and what is missing now. */
export function MigrationHistoryPage() {
  const query = useQuery(migrationHistoryQuery());
  if (query.isPending) return <p className="muted">Loading the migration history…</p>;
  if (query.isError) {
    return (
      <p className="status status--bad" role="alert">
        Flightdeck’s server did not answer: {query.error.message}
      </p>
    );
  }
  const { history, serverTime, appliedBy = [] } = query.data;
  // Ages use the server's clock: the browser's may be off.
  const clockSkewMs = Date.parse(serverTime) - Date.now();
  const data = history.data;
  return (
    <div className="migration-history">
      <div className="grid grid--migrations">
        <SourceCard
          title="Where the database stands"
          testId="card-position"
          state={databaseState(history, (d) => d.report.position)}
          clockSkewMs={clockSkewMs}
        >
          {(position) => (
            <DatabasePositionPanel
              position={position}
              heads={data?.report.heads ?? []}
              via={data?.database.via ?? 'direct'}
            />
          )}
        </SourceCard>
        <SourceCard
          title="Schema drift"
          testId="card-drift"
          state={databaseState(history, (d) => d.report.drift)}
          clockSkewMs={clockSkewMs}
        >
          {(drift) => data && <DriftPanel drift={drift} data={data} />}
        </SourceCard>
      </div>
      <SourceCard title="Revision history" testId="card-history" state={history} clockSkewMs={clockSkewMs}>
        {(d) => (
          <>
            <p className="muted small" data-testid="versions-dir">
              Scripts in <code>{d.versionsDir}</code>
            </p>
            <FolderProblems data={d} />
            {d.report.revisions.length > 0 && <RevisionTimeline data={d} appliedBy={appliedBy} />}
            <GeneralFindings data={d} />
          </>
        )}
      </SourceCard>
    </div>
  );
}

function GeneralFindings({ data }: { data: MigrationHistoryData }) {
  const findings = generalFindings(data);
  if (findings.length === 0) return null;
  return (
    <section className="general-findings" data-testid="general-findings">
      <h3>About the folder and the database</h3>
      <FindingList findings={findings} />
    </section>
  );
}
