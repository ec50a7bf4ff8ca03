import { ConfigError, loadConfig } from './config.js';
import { startFlightdeck } from './flightdeck.js';
import { StoreError } from './platform/store/store-error.js';

/** Within this of SIGTERM the process has exited, whatever was queued or in flight. */
const stopWithinMs = 4_500;

/** Entry point: load config, start, print the URL. Everything else lives in startFlightdeck/buildServer. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let running;
  try {
    running = await startFlightdeck(config);
  } catch (error) {
    if (error instanceof StoreError) {
      console.error(`Flightdeck cannot start: ${error.message}`);
      process.exit(3);
    }
    throw error;
  }
  const upstream = running.sandbox
    ? `sandbox AWS ${running.sandbox.awsEndpoint}, demo database ${running.sandbox.databaseUrl}`
    : `AWS ${config.aws.region}${config.aws.endpoint ? ` via ${config.aws.endpoint}` : ''}`;
  console.log(`\n  Flightdeck is running: ${running.url}\n  upstreams: ${upstream}\n`);
  const shutdown = async (signal: string) => {
    // The backstop: stopping takes well under this (close() is bounded); past it, exit anyway.
    setTimeout(() => {
      console.error(`Flightdeck did not stop within ${stopWithinMs} ms of ${signal}; exiting.`);
      process.exit(1);
    }, stopWithinMs).unref();
    // 1 when work had to be abandoned (jobs resume on the next start), for whoever watches exits.
    process.exit((await running.close()) === 'finished' ? 0 : 1);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Flightdeck failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
