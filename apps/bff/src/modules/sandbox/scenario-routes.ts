import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  SandboxFunctionParams,
  AdvanceClock,
  ApplyMigrations,
  EmptyBody,
  ErrorResponse,
  FailInvocations,
  LongTransaction,
  SandboxFault,
  SandboxState,
} from '@flightdeck/contracts';

/** What the scenario panel may do to the sandbox; adapted from the sandbox's own handle. */
export interface ScenarioControl {
  state(): Promise<SandboxState>;
  applyMigrations(playSeconds?: number): Promise<void>;
  injectFault(fault: SandboxFault): Promise<void>;
  clearFaults(): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  /** Failed requests through a function's alias, up to now: errors in its metrics and logs. */
  failInvocations(functionName: string, count: number): Promise<void>;
  reset(): Promise<void>;
  /** A (simulated) worker session holding a row lock on a table in a transaction left open. */
  openLongTransaction(table: string, seconds: number): Promise<void>;
  endLongTransaction(): Promise<void>;
}

const answers = { 200: SandboxState, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

/**
 * Sandbox mode only (never registered otherwise): play the story from the SPA. Every change
 * refreshes the collectors at once, so every open browser sees its effect within a second.
 */
export const sandboxScenarioRoutes: FastifyPluginAsyncTypebox<{
  scenario: ScenarioControl;
  /** Refreshes every collector a scenario change makes stale (the Overview's, the Migration History). */
  refreshCollectors(): Promise<void>;
}> = async (app, { scenario, refreshCollectors }) => {
  const changed = async () => {
    await refreshCollectors();
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
        summary:
          'Apply the pending migrations to the demo database (playSeconds: hold their locks that long first)',
        tags: ['sandbox'],
        body: ApplyMigrations,
        response: answers,
      },
    },
    async (request) => {
      await scenario.applyMigrations(request.body.playSeconds);
      return changed();
    },
  );
  app.post(
    '/api/v1/sandbox/db/long-transaction',
    {
      schema: {
        summary: 'Leave a worker transaction open holding a lock on a table (the lock panel’s NO-GO)',
        tags: ['sandbox'],
        body: LongTransaction,
        response: answers,
      },
    },
    async (request) => {
      await scenario.openLongTransaction(request.body.table, request.body.seconds);
      return scenario.state();
    },
  );
  app.delete(
    '/api/v1/sandbox/db/long-transaction',
    {
      schema: { summary: 'End the long transaction', tags: ['sandbox'], response: answers },
    },
    async () => {
      await scenario.endLongTransaction();
      return scenario.state();
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
    '/api/v1/sandbox/functions/:functionName/errors',
    {
      schema: {
        summary: 'Make a function fail: failed requests up to now, each logging an error',
        tags: ['sandbox'],
        params: SandboxFunctionParams,
        body: FailInvocations,
        response: answers,
      },
    },
    async (request) => {
      await scenario.failInvocations(request.params.functionName, request.body.count);
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
