import { useState } from 'react';
import type { SandboxFault } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useOverview } from '../../api/overview';
import { sandboxStateQuery, useScenarioChanges } from '../../api/sandbox';
import { useSession } from '../../api/session';

const faultTargets: Array<{ label: string; service: SandboxFault['service']; operation: string }> = [
  { label: 'CloudWatch GetMetricData', service: 'CloudWatch', operation: 'GetMetricData' },
  { label: 'Logs FilterLogEvents', service: 'CloudWatchLogs', operation: 'FilterLogEvents' },
  { label: 'RDS DescribeDBSnapshots', service: 'RDS', operation: 'DescribeDBSnapshots' },
  { label: 'Lambda GetAlias', service: 'Lambda', operation: 'GetAlias' },
];
const faultKinds: Array<{ kind: SandboxFault['kind']; label: string }> = [
  { kind: 'throttle', label: 'ThrottlingException' },
  { kind: 'error5xx', label: 'HTTP 500' },
  { kind: 'latency', label: '3 s latency' },
  { kind: 'hang', label: 'hang (timeout)' },
];

/** Sandbox only: play the story — apply the migrations, break an upstream, move the clock. */
export function ScenarioPanel() {
  const session = useSession().data;
  const isSandbox = session?.authMode === 'sandbox';
  const state = useQuery(sandboxStateQuery(isSandbox));
  const changes = useScenarioChanges();
  const [target, setTarget] = useState(0);
  const [kind, setKind] = useState<SandboxFault['kind']>('throttle');
  // The first watched function: in the story, the API whose requests a bad release fails.
  const failing = useOverview().data?.sources.lambda.data?.functions[0];
  if (!isSandbox) return null;

  const canChange = session?.user?.role === 'ops';
  const reason = canChange
    ? undefined
    : `Only ops can change the scenario; you are ${session?.user?.role ?? 'not signed in'}.`;
  const busy = Object.values(changes).some((m) => m.isPending);
  const failed = Object.values(changes).find((m) => m.isError)?.error;
  const pending = state.data?.pending ?? [];
  const selected = faultTargets[target]!;

  return (
    <section className="card scenario" data-testid="scenario-panel" aria-label="Sandbox scenario">
      <header className="card__header">
        <h2>Sandbox scenario</h2>
        <span className="card__freshness">
          {state.data ? `scenario clock ${state.data.scenarioTime.slice(0, 16).replace('T', ' ')} UTC` : ''}
        </span>
      </header>
      {reason && (
        <p className="muted small" data-testid="scenario-disabled-reason">
          {reason}
        </p>
      )}
      <div className="scenario__row">
        <button
          type="button"
          data-testid="apply-migrations"
          disabled={!canChange || busy || pending.length === 0}
          title={reason ?? (pending.length === 0 ? 'Nothing pending' : undefined)}
          onClick={() => changes.applyMigrations.mutate()}
        >
          Apply {pending.length} pending migration{pending.length === 1 ? '' : 's'}
        </button>
        <button
          type="button"
          data-testid="play-migration"
          disabled={!canChange || busy || pending.length === 0}
          title={
            reason ??
            'The migration takes 15 s: its session holds the locks the lint predicts and requests wait behind it (Database locks panel), then it is applied.'
          }
          onClick={() => changes.applyMigrations.mutate({ playSeconds: 15 })}
        >
          Play them over 15 s
        </button>
        <button
          type="button"
          data-testid="advance-clock"
          disabled={!canChange || busy}
          title={reason}
          onClick={() => changes.advanceClock.mutate({ seconds: 15 * 60 })}
        >
          Advance clock 15 min
        </button>
        <button
          type="button"
          data-testid="advance-clock-minute"
          disabled={!canChange || busy}
          title={reason}
          onClick={() => changes.advanceClock.mutate({ seconds: 60 })}
        >
          1 min
        </button>
      </div>
      <div className="scenario__row">
        <button
          type="button"
          data-testid="fail-requests"
          disabled={!canChange || busy || !failing}
          title={
            reason ??
            'A bad release: 20 failed requests over the last 20 s, each logging an error. Metrics count whole minutes: advance the clock a minute to see them.'
          }
          onClick={() =>
            failing && changes.failInvocations.mutate({ functionName: failing.functionName, count: 20 })
          }
        >
          Fail 20 requests{failing ? ` of ${failing.label}` : ''}
        </button>
      </div>
      <div className="scenario__row">
        <button
          type="button"
          data-testid="open-long-transaction"
          disabled={!canChange || busy}
          title={
            reason ??
            'The worker leaves a transaction open for 10 minutes holding a row lock on providers: the migration’s ALTER TABLE would wait for it.'
          }
          onClick={() => changes.openLongTransaction.mutate({ table: 'providers', seconds: 600 })}
        >
          Open a long transaction on providers
        </button>
        <button
          type="button"
          data-testid="end-long-transaction"
          disabled={!canChange || busy}
          title={reason}
          onClick={() => changes.endLongTransaction.mutate()}
        >
          End it
        </button>
      </div>
      <div className="scenario__row">
        <label>
          Fault on{' '}
          <select value={target} onChange={(e) => setTarget(Number(e.target.value))} disabled={!canChange}>
            {faultTargets.map((t, i) => (
              <option key={t.label} value={i}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value as SandboxFault['kind'])}
          disabled={!canChange}
        >
          {faultKinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="inject-fault"
          disabled={!canChange || busy}
          title={reason}
          onClick={() =>
            changes.injectFault.mutate({
              service: selected.service,
              operation: selected.operation,
              kind,
              ...(kind === 'latency' ? { latencyMs: 3_000 } : {}),
            })
          }
        >
          Inject
        </button>
        <button
          type="button"
          data-testid="clear-faults"
          disabled={!canChange || busy || (state.data?.faults.length ?? 0) === 0}
          title={reason}
          onClick={() => changes.clearFaults.mutate()}
        >
          Clear faults
        </button>
      </div>
      {(state.data?.faults.length ?? 0) > 0 && (
        <p className="small warn" data-testid="active-faults">
          Active faults: {state.data!.faults.map((f) => `${f.service}.${f.operation} ${f.kind}`).join(', ')}
        </p>
      )}
      {failed && (
        <p className="status status--bad" role="alert">
          {failed.message}
        </p>
      )}
    </section>
  );
}
