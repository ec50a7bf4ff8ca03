import { startAwsServer } from './aws/aws-server.js';
import { DemoDatabase } from './demo-db/demo-database.js';
import { versionsDir } from './demo-db/migration-files.js';
import { Scenario } from './scenario/scenario.js';
import { region } from './story.js';

export interface SandboxOptions {
  host?: string;
  /** Default 4566; 0 = any free port. */
  awsPort?: number;
  /** Default 54329; 0 = any free port. */
  dbPort?: number;
  /** Real clock source in ms (default Date.now); the scenario clock = now() + how far it was advanced. */
  now?: () => number;
  /** No per-request log lines. */
  quiet?: boolean;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:4566 */
  awsEndpoint: string;
  /** e.g. postgres://postgres:postgres@127.0.0.1:54329/postgres */
  databaseUrl: string;
  /** Absolute path of the Alembic versions/ folder shipped in the package. */
  versionsDir: string;
  region: string;
  /** In-process handle to the state the control API changes. */
  scenario: Scenario;
  close(): Promise<void>;
}

/** Starts the demo target database, then the local AWS that serves the story around it. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const database = await DemoDatabase.start({ host, port: options.dbPort ?? 54329 });
  const databasePort = Number(new URL(database.url).port);
  const scenario = new Scenario(database, { host, port: databasePort }, options.now ?? Date.now);
  let aws;
  try {
    aws = await startAwsServer({
      host,
      port: options.awsPort ?? 4566,
      scenario,
      quiet: options.quiet ?? false,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    awsEndpoint: aws.endpoint,
    databaseUrl: database.url,
    versionsDir,
    region,
    scenario,
    close() {
      closing ??= aws.close().then(() => database.close());
      return closing;
    },
  };
}
