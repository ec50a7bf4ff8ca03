import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdvanceClock, EmptyBody, ErrorResponse, SandboxFault, SandboxState } from '@flightdeck/contracts';
import { SandboxInputError, type Scenario } from '@flightdeck/sandbox';

/** What the scenario panel may do to the sandbox; adapted from the sandbox's own handle. */
export interface ScenarioControl {
  state(): Promise<SandboxState>;
  applyMigrations(): Promise<void>;
  injectFault(fault: SandboxFault): Promise<void>;
  clearFaults(): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  reset(): Promise<void>;
}

/** A fault the sandbox can't take (an operation it doesn't answer) is the caller's mistake: 400. */
async function asCallerError<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof SandboxInputError)
      throw Object.assign(new Error(error.message), { statusCode: 400, code: error.code });
    throw error;
  }
}

/** The sandbox's in-process scenario, seen through the little the panel needs. */
export function scenarioControlFrom(scenario: Scenario): ScenarioControl {
  return {
    async state() {
      const s = await scenario.state();
      return {
        scenarioTime: s.scenarioTime,
        revision: s.revision,
        pending: s.pending,
        migrationsAppliedAt: s.migrationsAppliedAt,
        faults: s.faults.map((f) => ({
          service: f.service,
          operation: f.operation,
          kind: f.kind,
          ...(f.latencyMs !== undefined ? { latencyMs: f.latencyMs } : {}),
          ...(f.remaining !== undefined ? { remaining: f.remaining } : {}),
        })),
      };
    },
    applyMigrations: async () => void (await scenario.applyMigrations()),
    injectFault: (fault) => asCallerError(async () => void (await scenario.injectFault(fault))),
    clearFaults: () => scenario.clearFaults(),
    advanceClock: async (seconds) => void (await scenario.advanceClock(seconds)),
    reset: () => scenario.reset(),
  };
}

const answers = { 200: SandboxState, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

/**
 * Sandbox mode only (never registered otherwise): play the story from the SPA. Every change
 * refreshes the collectors at once, so every open browser sees its effect within a second.
 */
export const sandboxScenarioRoutes: FastifyPluginAsyncTypebox<{
  scenario: ScenarioControl;
  /** Collectors outside the Overview's hub (the Migration History) that a change also makes stale. */
  alsoRefresh: Array<{ refresh(): Promise<void> }>;
}> = async (app, { scenario, alsoRefresh }) => {
  const changed = async () => {
    await Promise.all([app.sources.refreshAll(), ...alsoRefresh.map((c) => c.refresh())]);
    return scenario.state();
  };

  app.get(
    '/api/v1/sandbox/state',
    {
      schema: {
        summary: 'The sandbox scenario: clock, revision, active faults',
        tags: ['sandbox'],
        response: answers,
      },
    },
    () => scenario.state(),
  );
  app.post(
    '/api/v1/sandbox/migrations/apply',
    {
      schema: {
        summary: 'Apply the pending migrations to the demo database',
        tags: ['sandbox'],
        body: EmptyBody,
        response: answers,
      },
    },
    async () => {
      await scenario.applyMigrations();
      return changed();
    },
  );
  app.post(
    '/api/v1/sandbox/faults',
    {
      schema: {
        summary: 'Inject a fault on one AWS operation',
        tags: ['sandbox'],
        body: SandboxFault,
        response: answers,
      },
    },
    async (request) => {
      await scenario.injectFault(request.body);
      return scenario.state();
    },
  );
  app.delete(
    '/api/v1/sandbox/faults',
    { schema: { summary: 'Clear every injected fault', tags: ['sandbox'], response: answers } },
    async () => {
      await scenario.clearFaults();
      return changed();
    },
  );
  app.post(
    '/api/v1/sandbox/clock/advance',
    {
      schema: {
        summary: 'Move the scenario clock forward',
        tags: ['sandbox'],
        body: AdvanceClock,
        response: answers,
      },
    },
    async (request) => {
      await scenario.advanceClock(request.body.seconds);
      return changed();
    },
  );
  app.post(
    '/api/v1/sandbox/reset',
    {
      schema: {
        summary: 'Back to the start of the story',
        tags: ['sandbox'],
        body: EmptyBody,
        response: answers,
      },
    },
    async () => {
      await scenario.reset();
      return changed();
    },
  );
};
