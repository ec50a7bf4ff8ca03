import type { MigrationHistoryData } from '@flightdeck/contracts';
import { FindingList } from './finding-item';
import { isBrokenHistoryFinding } from './history-view';

/** An unreadable, empty or broken versions folder, said in words with what to do about it. */
export function FolderProblems({ data }: { data: MigrationHistoryData }) {
  if (data.folderProblem) {
    return (
      <div className="notice notice--bad" role="alert" data-testid="folder-problem">
        <p>{data.folderProblem}</p>
        <p className="small">
          Flightdeck reads the revision scripts from <code>{data.versionsDir}</code>. Point{' '}
          <code>alembic.versionsDir</code> (or <code>FLIGHTDECK_VERSIONS_DIR</code>) at the Alembic{' '}
          <code>versions/</code> folder of the code you are deploying.
        </p>
      </div>
    );
  }
  if (data.report.revisions.length === 0) {
    const unreadable = data.report.findings.filter(isBrokenHistoryFinding);
    return (
      <div className="notice notice--warn" role="alert" data-testid="folder-problem">
        <p>
          {unreadable.length
            ? 'None of the scripts in the versions folder could be read as an Alembic revision.'
            : 'The versions folder has no revision scripts, so there is no history to show.'}
        </p>
        <p className="small">
          Alembic loads the <code>*.py</code> files of <code>{data.versionsDir}</code> that declare{' '}
          <code>revision = "…"</code>. Check that this is the <code>versions/</code> folder itself (not the
          Alembic folder above it) and that the scripts are part of the deployed code.
        </p>
        {unreadable.length > 0 && <FindingList findings={unreadable} />}
      </div>
    );
  }
  const broken = data.report.findings.filter(isBrokenHistoryFinding);
  if (broken.length === 0) return null;
  return (
    <div className="notice notice--bad" role="alert" data-testid="folder-problem">
      <p>
        The revision history is broken: Alembic would refuse to upgrade until{' '}
        {broken.length === 1 ? 'this is' : `these ${broken.length} problems are`} fixed.
      </p>
      <FindingList findings={broken} />
    </div>
  );
}
