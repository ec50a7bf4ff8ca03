// Sandbox mode only (never registered otherwise): the scenario panel's API, which plays the story
// on the local AWS and demo database (apply the migrations, inject faults, fail requests, move the
// clock). Every change refreshes the collectors at once, so every open browser sees its effect.
import fp from 'fastify-plugin';
import { sandboxScenarioRoutes, type ScenarioControl } from './scenario-routes.js';

export const sandboxModule = fp<{ scenario: ScenarioControl }>(
  async (app, { scenario }) => {
    app.access.declare({
      'GET /api/v1/sandbox/state': 'viewer',
      'POST /api/v1/sandbox/migrations/apply': 'ops',
      'POST /api/v1/sandbox/faults': 'ops',
      'DELETE /api/v1/sandbox/faults': 'ops',
      'POST /api/v1/sandbox/clock/advance': 'ops',
      'POST /api/v1/sandbox/functions/:functionName/errors': 'ops',
      'POST /api/v1/sandbox/reset': 'ops',
      'POST /api/v1/sandbox/db/long-transaction': 'ops',
      'DELETE /api/v1/sandbox/db/long-transaction': 'ops',
    });
    await app.register(sandboxScenarioRoutes, {
      scenario,
      refreshCollectors: async () => {
        await Promise.all([app.sources.refreshAll(), app.migrationHistory.refresh()]);
      },
    });
  },
  {
    name: 'flightdeck-sandbox',
    dependencies: ['flightdeck-platform', 'flightdeck-overview', 'flightdeck-migrations'],
  },
);
