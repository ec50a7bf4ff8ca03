import type { FlightdeckConfig } from '../../config.js';
import type { ScenarioControl } from './scenario-routes.js';
import { BadInput } from '../../platform/errors/errors.js';

// The sandbox (a local AWS and a demo PGlite database) is a dev dependency: it is imported here,
// and only when the mode is sandbox, so a production start never loads it. A dynamic import, so
// the production bundle (build.mjs) keeps it lazy instead of hoisting it to the top.
const { SandboxInputError, startSandbox } = await import('@flightdeck/sandbox');
type Scenario = import('@flightdeck/sandbox').Scenario;

/** A fault the sandbox can't take (an operation it doesn't answer) is the caller's mistake: 400. */
async function asCallerError<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof SandboxInputError) throw new BadInput(error.code, error.message);
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
    applyMigrations: (playSeconds) =>
      asCallerError(async () => void (await scenario.applyMigrations(playSeconds))),
    injectFault: (fault) => asCallerError(async () => void (await scenario.injectFault(fault))),
    clearFaults: () => scenario.clearFaults(),
    advanceClock: async (seconds) => void (await scenario.advanceClock(seconds)),
    failInvocations: (functionName, count) =>
      asCallerError(async () => void scenario.failInvocations(functionName, count)),
    reset: () => scenario.reset(),
    openLongTransaction: (table, seconds) =>
      asCallerError(async () => void (await scenario.openLongTransaction(table, seconds))),
    endLongTransaction: async () => void (await scenario.endLongTransaction()),
  };
}

/** Starts the local AWS and demo database on the configured ports, and points the config at them. */
export async function startSandboxUpstreams(
  config: FlightdeckConfig,
  running?: import('@flightdeck/sandbox').Sandbox,
) {
  // A sandbox already running (a BFF restarted mid-scenario) is reused; it outlives this BFF.
  const sandbox =
    running ??
    (await startSandbox({
      host: '127.0.0.1',
      awsPort: config.sandbox.awsPort,
      dbPort: config.sandbox.dbPort,
      quiet: true,
    }));
  const resolved: FlightdeckConfig = {
    ...config,
    aws: { ...config.aws, region: sandbox.region, endpoint: sandbox.awsEndpoint },
    database: { ...config.database, url: config.database.url ?? sandbox.databaseUrl },
    alembic: { versionsDir: config.alembic.versionsDir ?? sandbox.versionsDir },
    deploys: {
      ...config.deploys,
      healthUrl: config.deploys.healthUrl ?? `${sandbox.awsEndpoint}/_sandbox/health`,
    },
  };
  return {
    config: resolved,
    sandbox,
    scenario: scenarioControlFrom(sandbox.scenario),
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  };
}
