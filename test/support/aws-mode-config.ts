import { storyNames } from '@flightdeck/sandbox';

/** What a sandbox exposes for a BFF pointed at it as at AWS (a running or a standalone sandbox). */
export interface SandboxEndpoints {
  region: string;
  awsEndpoint: string;
  databaseUrl: string;
  versionsDir: string;
}

/**
 * A BFF config in aws mode against a sandbox's endpoint, as a company would write it for AWS:
 * every target named (the story's two functions and instance), proxy sign-in, free port.
 * `extra` adds or replaces top-level sections.
 */
export function awsModeConfig(sandbox: SandboxEndpoints, extra: Record<string, unknown> = {}) {
  return {
    mode: 'aws',
    server: { host: '127.0.0.1', port: 0, logLevel: 'warn' },
    aws: { region: sandbox.region, endpoint: sandbox.awsEndpoint },
    database: { url: sandbox.databaseUrl },
    alembic: { versionsDir: sandbox.versionsDir },
    rds: { dbInstanceIdentifier: storyNames.dbInstance },
    functions: [
      { name: storyNames.backendFunction, alias: storyNames.alias },
      { name: storyNames.workerFunction, alias: storyNames.alias },
    ],
    auth: { mode: 'proxy' },
    ...extra,
  };
}
