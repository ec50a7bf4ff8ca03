export { buildServer, type ServerDeps } from './server.js';
export { startFlightdeck, createSourceHub, type RunningFlightdeck } from './flightdeck.js';
export { loadConfig, parseConfig, ConfigError, type FlightdeckConfig } from './config.js';
