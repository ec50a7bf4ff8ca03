import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { auditExportUrl, auditQuery } from '../../api/audit';
import { useSession } from '../../api/session';

/** The audit log: who did what, when, with which parameters and result; filter, export CSV or JSON. */
export function AuditPage() {
  const role = useSession().data?.user?.role;
  const allowed = role === 'lead' || role === 'ops';
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const filter = { actor, action };
  const audit = useQuery(auditQuery(filter, allowed));
  if (!allowed)
    return (
      <p className="muted" data-testid="audit-forbidden">
        The audit log is for leads and ops; you are {role ?? 'not signed in'}.
      </p>
    );
  return (
    <section className="card" aria-label="Audit log" data-testid="audit">
      <header className="card__header">
        <h2>Audit log</h2>
        <span className="card__freshness">
          <a href={auditExportUrl(filter, 'csv')} data-testid="audit-export-csv">
            Export CSV
          </a>{' '}
          · <a href={auditExportUrl(filter, 'json')}>Export JSON</a>
        </span>
      </header>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Who <input value={actor} onChange={(e) => setActor(e.target.value)} placeholder="exact user" />
        </label>{' '}
        <label>
          What{' '}
          <input
            value={action}
            onChange={(e) => setAction(e.target.value)}
            placeholder="e.g. signed off, rollbacks"
            data-testid="audit-filter-action"
          />
        </label>
      </form>
      {audit.isError && (
        <p className="status status--bad" role="alert">
          {audit.error.message}
        </p>
      )}
      <table className="table" data-testid="audit-rows">
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Who</th>
            <th>What</th>
            <th>Target</th>
            <th>Parameters</th>
            <th>Result</th>
            <th>Correlation id</th>
          </tr>
        </thead>
        <tbody>
          {(audit.data?.entries ?? []).map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <td>
                {e.at.slice(0, 19).replace('T', ' ')}
                {e.wallAt && (
                  <span
                    className="muted small"
                    title="The wall clock; the time shown follows the scenario clock"
                  >
                    {' '}
                    (wall {e.wallAt.slice(11, 19)})
                  </span>
                )}
              </td>
              <td>
                {e.actor} <span className="muted small">{e.role}</span>
              </td>
              <td data-testid="audit-summary">
                {e.summary}
                <div className="muted small">
                  <code>{e.action}</code>
                </div>
              </td>
              <td>{e.target ?? ''}</td>
              <td>
                <code className="small">{JSON.stringify(e.parameters)}</code>
              </td>
              <td>{e.result}</td>
              <td className="muted small">{e.correlationId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
