import type { Deploy } from '@flightdeck/contracts';
import { useDeployActions } from '../../api/deploys';

/** "Prepare deploy" for ops: records the baseline and starts the pre-migration snapshot. */
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
  const why =
    role !== 'ops'
      ? `Only ops can prepare a deploy; you are ${role ?? 'not signed in'}.`
      : active
        ? `Deploy ${active.id} is active (${active.phase}): one at a time.`
        : undefined;
  return (
    <div className="prepare">
      <button
        type="button"
        data-testid="prepare-deploy"
        disabled={why !== undefined || prepare.isPending}
        title={why}
        onClick={() => prepare.mutate(undefined, { onSuccess: onPrepared })}
      >
        {prepare.isPending ? 'Preparing…' : 'Prepare deploy'}
      </button>
      {why && <span className="muted small"> {why}</span>}
      {prepare.isError && (
        <p className="status status--bad" role="alert" data-testid="prepare-error">
          {prepare.error.message}
        </p>
      )}
    </div>
  );
}
