import { useState } from 'react';
import type { IssuedToken, RoleName } from '@flightdeck/contracts';
import { useTokenActions } from '../../api/tokens';

const roles: RoleName[] = ['viewer', 'lead', 'ops'];

/** A token's role is at most the issuer's: the choices stop at yours. */
function rolesUpTo(role: RoleName): RoleName[] {
  return roles.slice(0, roles.indexOf(role) + 1);
}

/** Name, role and lifetime of a new API token; the answer (with the secret) goes to `onIssued`. */
export function IssueTokenForm({
  role,
  onIssued,
}: {
  role: RoleName;
  onIssued: (token: IssuedToken) => void;
}) {
  const { issue } = useTokenActions();
  const [name, setName] = useState('');
  const [tokenRole, setTokenRole] = useState<RoleName>('viewer');
  const [days, setDays] = useState('90');
  return (
    <form
      className="card prepare"
      aria-label="Issue a token"
      onSubmit={(event) => {
        event.preventDefault();
        issue.mutate(
          { name: name.trim(), role: tokenRole, expiresInDays: Number(days) },
          {
            onSuccess: (token) => {
              setName('');
              onIssued(token);
            },
          },
        );
      }}
    >
      <header className="card__header">
        <h2>Issue an API token</h2>
        <span className="card__freshness">for a pipeline or a script; its role at most yours</span>
      </header>
      <div className="release-fields">
        <label>
          <span className="small muted">Name</span>
          <input
            data-testid="token-name"
            placeholder="release-pipeline"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label>
          <span className="small muted">Role</span>
          <select
            data-testid="token-role"
            value={tokenRole}
            onChange={(e) => setTokenRole(e.target.value as RoleName)}
          >
            {rolesUpTo(role).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="small muted">Expires in (days)</span>
          <input
            data-testid="token-days"
            type="number"
            min={1}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </label>
      </div>
      <button type="submit" data-testid="issue-token" disabled={name.trim() === '' || issue.isPending}>
        {issue.isPending ? 'Issuing…' : 'Issue token'}
      </button>
      {issue.isError && (
        <p className="status status--bad" role="alert" data-testid="issue-error">
          {issue.error.message}
        </p>
      )}
    </form>
  );
}
