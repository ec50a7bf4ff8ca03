import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiToken, IssuedToken, RoleName } from '@flightdeck/contracts';
import { tokensQuery, useTokenActions } from '../../api/tokens';
import { useSession } from '../../api/session';
import { IssueTokenForm } from './issue-token-form';

const stateClass = { active: 'ok', expired: 'warn', revoked: 'bad' } as const;
const utc = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')}` : '—');

/** API tokens for pipelines: issue one (its secret shown once), see them all, revoke one. Ops only. */
export function TokensPage() {
  const role = useSession().data?.user?.role ?? null;
  const allowed = role === 'ops';
  const tokens = useQuery(tokensQuery(allowed));
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  if (!allowed)
    return (
      <p className="muted" data-testid="tokens-forbidden">
        API tokens are issued and revoked by ops; you are {role ?? 'not signed in'}.
      </p>
    );
  return (
    <>
      <IssueTokenForm role={role as RoleName} onIssued={setIssued} />
      {issued && <IssuedSecret token={issued} onDone={() => setIssued(null)} />}
      <section className="card" aria-label="API tokens" data-testid="tokens">
        <header className="card__header">
          <h2>API tokens</h2>
          <span className="card__freshness">
            for pipelines: <code>Authorization: Bearer fd_…</code>
          </span>
        </header>
        {tokens.isError && (
          <p className="status status--bad" role="alert">
            {tokens.error.message}
          </p>
        )}
        <div className="table-scroll">
          <table className="table" data-testid="token-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Issued by</th>
                <th>Created (UTC)</th>
                <th>Expires (UTC)</th>
                <th>Last used (UTC)</th>
                <th>From</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(tokens.data?.tokens ?? []).map((t) => (
                <TokenRow key={t.id} token={t} />
              ))}
            </tbody>
          </table>
        </div>
        {tokens.data && tokens.data.tokens.length === 0 && <p className="muted">No token issued yet.</p>}
      </section>
    </>
  );
}

/** The secret, once: a copy button and a plain warning that it will not be shown again. */
function IssuedSecret({ token, onDone }: { token: IssuedToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="card secret-once" aria-label="New token" data-testid="issued-token">
      <header className="card__header">
        <h2>Token “{token.name}” issued</h2>
        <span className="card__freshness">
          {token.role} · expires {utc(token.expiresAt)} UTC
        </span>
      </header>
      <p className="status status--warn" data-testid="shown-once">
        Copy it now: you will not see it again. Flightdeck keeps only a hash of it.
      </p>
      <p>
        <code className="mono secret" data-testid="token-secret">
          {token.token}
        </code>{' '}
        <button
          type="button"
          data-testid="copy-token"
          onClick={() => {
            void navigator.clipboard
              ?.writeText(token.token)
              .then(() => setCopied(true))
              .catch(() => setCopied(false));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>{' '}
        <button type="button" className="link" data-testid="dismiss-token" onClick={onDone}>
          I have stored it
        </button>
      </p>
    </section>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const { revoke } = useTokenActions();
  const [confirming, setConfirming] = useState(false);
  return (
    <tr data-testid="token" data-name={token.name} data-state={token.state}>
      <td className="mono">{token.name}</td>
      <td>{token.role}</td>
      <td>{token.issuer}</td>
      <td className="mono">{utc(token.createdAt)}</td>
      <td className="mono">{utc(token.expiresAt)}</td>
      <td className="mono">{utc(token.lastUsedAt)}</td>
      <td className="mono">{token.lastUsedFrom ?? '—'}</td>
      <td className={stateClass[token.state]} data-testid="token-state">
        {token.state}
        {token.revokedBy && <span className="muted small"> by {token.revokedBy}</span>}
      </td>
      <td>
        {token.state !== 'revoked' && !confirming && (
          <button
            type="button"
            className="danger"
            data-testid="revoke-token"
            onClick={() => setConfirming(true)}
          >
            Revoke
          </button>
        )}
        {confirming && (
          <span data-testid="revoke-confirmation">
            <span className="small">Pipelines using “{token.name}” stop at once. </span>
            <button
              type="button"
              className="danger"
              data-testid="confirm-revoke"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(token.id, { onSettled: () => setConfirming(false) })}
            >
              Revoke it
            </button>{' '}
            <button type="button" className="link" onClick={() => setConfirming(false)}>
              keep
            </button>
          </span>
        )}
        {revoke.isError && <span className="bad small"> {revoke.error.message}</span>}
      </td>
    </tr>
  );
}
