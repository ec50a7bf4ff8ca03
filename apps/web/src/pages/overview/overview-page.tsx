import { useOverview } from '../../api/overview';
import { SourceCard } from '../../components/source-card';
import { useNow } from '../../components/use-now';
import { LocksPanel } from '../../components/locks-panel';
import { AlembicPanel } from './alembic-panel';
import { ActiveDeployLink } from './active-deploy-link';
import { AliasesPanel } from './aliases-panel';
import { FunctionPanel } from './function-panel';
import { LogErrorsPanel } from './log-errors-panel';
import { ScenarioPanel } from './scenario-panel';
import { SchemaErrorsPanel } from './schema-errors-panel';
import { SnapshotPanel } from './snapshot-panel';

/** Is it safe to go, is it going well: every source at a glance, each with its own freshness. */
export function OverviewPage() {
  const overview = useOverview();
  const browserNow = useNow();
  if (overview.isPending) return <p className="muted">Loading the overview…</p>;
  if (overview.isError) {
    return (
      <p className="status status--bad" role="alert">
        Flightdeck’s server did not answer: {overview.error.message}. Retrying when the live connection
        returns.
      </p>
    );
  }
  const { sources, serverTime } = overview.data;
  // Ages use the server's clock: the browser's may be off.
  const clockSkewMs = Date.parse(serverTime) - Date.now();
  const aliases = sources.lambda.data?.functions ?? [];
  return (
    <div className="overview">
      <ActiveDeployLink />
      <ScenarioPanel />
      <LocksPanel compact />
      <div className="grid grid--top">
        <SourceCard
          title="Database migrations (Alembic)"
          testId="card-alembic"
          state={sources.alembic}
          clockSkewMs={clockSkewMs}
        >
          {(status) => <AlembicPanel status={status} />}
        </SourceCard>
        <SourceCard title="RDS snapshot" testId="card-snapshot" state={sources.rds} clockSkewMs={clockSkewMs}>
          {(rds) => <SnapshotPanel rds={rds} now={browserNow + clockSkewMs} />}
        </SourceCard>
        <SourceCard
          title="Lambda aliases"
          testId="card-lambda"
          state={sources.lambda}
          clockSkewMs={clockSkewMs}
        >
          {(lambda) => <AliasesPanel lambda={lambda} />}
        </SourceCard>
      </div>
      <SourceCard
        title="Lambda functions"
        testId="card-metrics"
        state={sources.metrics}
        clockSkewMs={clockSkewMs}
      >
        {(metrics) => (
          <div className="grid grid--functions">
            {metrics.functions.map((fn) => (
              <FunctionPanel
                key={fn.functionName}
                metrics={fn}
                alias={aliases.find((a) => a.functionName === fn.functionName)}
                windowMinutes={metrics.windowMinutes}
              />
            ))}
          </div>
        )}
      </SourceCard>
      <SourceCard
        title="Latest errors in the logs"
        testId="card-logs"
        state={sources.logs}
        clockSkewMs={clockSkewMs}
      >
        {(logs) => (
          <>
            <SchemaErrorsPanel logs={logs} labels={new Map(aliases.map((a) => [a.functionName, a.label]))} />
            <LogErrorsPanel logs={logs} />
          </>
        )}
      </SourceCard>
    </div>
  );
}
