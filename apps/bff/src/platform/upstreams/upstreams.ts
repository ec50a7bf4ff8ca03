// What Flightdeck reads and changes outside itself, built once from config: the AWS clients (reads
// retried by the SDK; changes sent once), the target database, the FilterLogEvents budget and the
// upstream's clock. Modules take them from `app.upstreams`; none builds a client of its own.
import type { FlightdeckConfig } from '../../config.js';
import { createAwsClients, type AwsClients, type StaticCredentials } from './aws-clients.js';
import { CallBudget, spendBudgetOn } from './call-budget.js';
import { createMutationClients, type MutationClients } from './mutation-clients.js';
import { abandonOnStop } from './shutdown-signal.js';
import { DirectTargetDatabase, LambdaTargetDatabase, type TargetDatabase } from './target-database.js';

export interface Upstreams {
  aws: AwsClients;
  /** For calls that change AWS: `maxAttempts: 1`, the job decides retries. */
  mutations: MutationClients;
  database: TargetDatabase;
  /** FilterLogEvents calls per second for the account and region, shared by tails and the Overview. */
  logsBudget: CallBudget;
  /** The upstream's clock: scenario time in the sandbox (windows, ages, checkpoints follow it). */
  now(): Date;
  /**
   * Shutdown's first step: every AWS call queued for the budget, waiting to retry or in flight is
   * answered at once with StoppingError, so nothing that waits on AWS holds the shutdown up.
   */
  abandon(): void;
  close(): Promise<void>;
}

export function createUpstreams(
  config: FlightdeckConfig,
  options: { credentials?: StaticCredentials; now?: () => Date } = {},
): Upstreams {
  const aws = createAwsClients(config.aws, options.credentials);
  const mutations = createMutationClients(config.aws, options.credentials);
  const database =
    config.database.via === 'lambda'
      ? new LambdaTargetDatabase(aws.lambda, config.database.sqlFunction!)
      : new DirectTargetDatabase(config.database.url!);
  // The Overview's latest errors keep a share tails never take, and go first in the queue.
  const logsBudget = new CallBudget(config.logs.callsPerSecond, undefined, config.logs.overviewReservedShare);
  // Every FilterLogEvents through this client spends the budget: tails and the Overview alike.
  spendBudgetOn(aws.logs, logsBudget, ['FilterLogEvents']);
  const stopping = new AbortController();
  for (const client of [
    aws.cloudwatch,
    aws.logs,
    aws.rds,
    aws.lambda,
    aws.sts,
    mutations.lambda,
    mutations.rds,
  ])
    abandonOnStop(client, stopping.signal);
  return {
    aws,
    mutations,
    database,
    logsBudget,
    now: options.now ?? (() => new Date()),
    abandon() {
      stopping.abort();
      logsBudget.close();
      // The answers were abandoned above; their sockets go too.
      aws.destroy();
      mutations.destroy();
    },
    async close() {
      // A poll still queued for a token gives up instead of waiting its turn.
      logsBudget.close();
      await database.close();
      aws.destroy();
      mutations.destroy();
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    upstreams: Upstreams;
  }
}
