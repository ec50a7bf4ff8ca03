import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Deploy, ReleaseRequest } from '@flightdeck/contracts';
import { preparePreviewQuery, useDeployActions } from '../../api/deploys';

const fields: Array<{ key: keyof ReleaseRequest; label: string; placeholder: string }> = [
  { key: 'name', label: 'Release', placeholder: 'v2.14.0' },
  { key: 'commit', label: 'Commit', placeholder: '4f2a9e1' },
  { key: 'frontendRef', label: 'Frontend ref', placeholder: 'web-v2.14.0' },
  { key: 'url', label: 'Link', placeholder: 'pull request or changelog' },
  { key: 'targetRevision', label: 'Target revision', placeholder: 'the code’s head' },
];

/**
 * "Prepare deploy" for ops: what is being released (all optional), then the baseline and the
 * pre-migration snapshot. A deploy in its watch is closed as superseded; one on its way refuses.
 * It calls CreateDBSnapshot on production, so it first says so, with the snapshot's name, and asks.
 */
export function PrepareDeploy({
  role,
  active,
  onPrepared,
}: {
  role: string | null;
  active: Deploy | null;
  onPrepared: (deploy: Deploy) => void;
}) {
  const { prepare } = useDeployActions();
  const [release, setRelease] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const preview = useQuery(preparePreviewQuery(confirming));
  const blocking = active && active.phase !== 'monitoring' ? active : null;
  const why =
    role !== 'ops'
      ? `Only ops can prepare a deploy; you are ${role ?? 'not signed in'}.`
      : blocking
        ? `Deploy ${blocking.id} is on its way (${blocking.phase}): finish, cancel or roll it back first.`
        : undefined;
  const request = (): ReleaseRequest =>
    Object.fromEntries(
      Object.entries(release)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([, v]) => v !== ''),
    );
  return (
    <form
      className="card prepare"
      aria-label="Prepare deploy"
      onSubmit={(event) => {
        event.preventDefault();
        setConfirming(true);
      }}
    >
      <header className="card__header">
        <h2>Prepare a release</h2>
        {active?.phase === 'monitoring' && role === 'ops' && (
          <span className="card__freshness" data-testid="supersede-note">
            {active.id} is in its watch: preparing closes it as superseded.
          </span>
        )}
      </header>
      {role === 'ops' && (
        <div className="release-fields">
          {fields.map((f) => (
            <label key={f.key}>
              <span className="small muted">{f.label}</span>
              <input
                data-testid={`release-${f.key}`}
                placeholder={f.placeholder}
                value={release[f.key] ?? ''}
                onChange={(e) => setRelease({ ...release, [f.key]: e.target.value })}
              />
            </label>
          ))}
          <label className="release-fields__notes">
            <span className="small muted">Notes</span>
            <textarea
              data-testid="release-notes"
              rows={2}
              value={release.notes ?? ''}
              onChange={(e) => setRelease({ ...release, notes: e.target.value })}
            />
          </label>
        </div>
      )}
      <button
        type="submit"
        data-testid="prepare-deploy"
        disabled={why !== undefined || prepare.isPending || confirming}
        title={why}
      >
        {prepare.isPending ? 'Preparing…' : 'Prepare deploy…'}
      </button>
      {why && <span className="muted small"> {why}</span>}
      {confirming && why === undefined && (
        <section
          className="prepare-confirm"
          role="dialog"
          aria-label="Confirm: prepare deploy"
          data-testid="prepare-confirm-dialog"
        >
          <p>
            Preparing calls RDS CreateDBSnapshot on {preview.data?.environment ?? 'this environment'} now.
          </p>
          {preview.isError ? (
            <p className="bad">What it would do could not be read: {preview.error.message}</p>
          ) : !preview.data ? (
            <p className="muted">Reading the snapshot’s name…</p>
          ) : (
            <ul className="pending-list">
              <li>
                It creates the snapshot{' '}
                <code data-testid="prepare-snapshot-name">{preview.data.snapshotIdentifier}</code> of the
                database instance <code data-testid="prepare-instance">{preview.data.instance}</code> (named
                with the UTC time you confirm), and it is taken at once.
              </li>
              <li>It records the baseline: the database revision and the versions the Lambda aliases run.</li>
              {active?.phase === 'monitoring' && <li>It closes {active.id}, in its watch, as superseded.</li>}
            </ul>
          )}
          <button
            type="button"
            data-testid="prepare-confirm"
            disabled={!preview.data || prepare.isPending}
            onClick={() =>
              prepare.mutate(request(), {
                onSuccess: (deploy) => {
                  setRelease({});
                  setConfirming(false);
                  onPrepared(deploy);
                },
              })
            }
          >
            Create the snapshot and prepare
          </button>{' '}
          <button
            type="button"
            className="link"
            data-testid="prepare-back"
            onClick={() => setConfirming(false)}
          >
            back
          </button>
        </section>
      )}
      {prepare.isError && (
        <p className="status status--bad" role="alert" data-testid="prepare-error">
          {prepare.error.message}
        </p>
      )}
    </form>
  );
}
