// Which deploy rollbacks target: the ones prepared in Flightdeck (their baselines are in the store),
// and, when none is, a fallback (in sandbox mode, the story's deploy of 2026-02-03).
import type { DeployBaseline } from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import { activeDeploy, getDeploy, listDeploys } from './store/deploy-repository.js';
import type { DeployTables } from './store/deploy-tables.js';

/** A deploy as a rollback needs it: where, and what it started from. */
export interface DeployForBaseline {
  id: string;
  environment: string;
  baseline: DeployBaseline;
}

export interface DeployBaselines {
  get(id: string): Promise<DeployForBaseline | null>;
  /** The deploy rollbacks target by default. */
  current(): Promise<DeployForBaseline | null>;
}

export function storedDeploys(
  db: Kysely<DeployTables>,
  environment: string,
  fallback: DeployBaselines,
): DeployBaselines {
  const forRollback = (d: DeployForBaseline) => ({
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
