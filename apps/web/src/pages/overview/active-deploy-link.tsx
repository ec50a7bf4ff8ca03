import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { deploysQuery, isActiveDeploy } from '../../api/deploys';

/** A deploy in progress is what everyone opens Flightdeck for: one line, linking to its checklist. */
export function ActiveDeployLink() {
  const deploys = useQuery(deploysQuery(10_000));
  const active = deploys.data?.deploys.find(isActiveDeploy);
  if (!active) return null;
  return (
    <section className="card active-deploy" aria-label="Active deploy" data-testid="active-deploy">
      Deploy <span className="mono">{active.id}</span> is <span className="tag">{active.phase}</span>{' '}
      (prepared by {active.preparedBy}).{' '}
      <Link to={`/deploys/${encodeURIComponent(active.id)}`} data-testid="active-deploy-link">
        Open its checklist and verdict →
      </Link>
    </section>
  );
}
