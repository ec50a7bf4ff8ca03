import { ConfigError, loadConfig } from './config.js';
import { startFlightdeck } from './flightdeck.js';
import { StoreError } from './platform/store/store-error.js';

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
  const shutdown = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('Flightdeck failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
