// Which deploy rollbacks target: the ones prepared in Flightdeck (their baselines are in the store),
// and, when none is, the fallback (in sandbox mode, the story's deploy of 2026-02-03).
import type { Kysely } from 'kysely';
import { activeDeploy, getDeploy, listDeploys } from '../deploys/store/deploy-repository.js';
import type { DeployTables } from '../deploys/store/deploy-tables.js';
import type { DeployForRollback, DeployLookup } from './rollback-service.js';

export function storedDeploys(
  db: Kysely<DeployTables>,
  environment: string,
  fallback: DeployLookup,
): DeployLookup {
  const forRollback = (d: { id: string; environment: string; baseline: DeployForRollback['baseline'] }) => ({
    id: d.id,
    environment: d.environment,
    baseline: d.baseline,
  });
  return {
    async get(id) {
      const deploy = await getDeploy(db, id);
      return deploy ? forRollback(deploy) : fallback.get(id);
    },
    async current() {
      // The active deploy, else the latest one of this environment: a rollback often follows "done".
      const deploy =
        (await activeDeploy(db, environment)) ??
        (await listDeploys(db, 20)).find((d) => d.environment === environment) ??
        null;
      return deploy ? forRollback(deploy) : fallback.current();
    },
  };
}
