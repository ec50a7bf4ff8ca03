import type { DeployForRollback, DeployLookup } from './rollback-service.js';

/** In sandbox mode, the story's deploy (2026-02-03) that rollbacks target. */
export const storyDeployId = 'story-2026-02-03';

/** The story's deploy in sandbox mode (its baseline from the sandbox), none otherwise. */
export async function storyDeploys(sandbox: boolean, environment: string): Promise<DeployLookup> {
  const deploys: DeployForRollback[] = [];
  if (sandbox) {
    // The sandbox is a dev dependency: loaded only in sandbox mode, never by a production start.
    const { storyBaseline } = await import('@flightdeck/sandbox');
    deploys.push({ id: storyDeployId, environment, baseline: storyBaseline() });
  }
  return {
    get: async (id) => deploys.find((d) => d.id === id) ?? null,
    current: async () => deploys.at(-1) ?? null,
  };
}
