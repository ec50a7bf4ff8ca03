import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from './config.js';

describe('config', () => {
  it('defaults to the sandbox on port 8080 with the story’s functions', () => {
    const config = parseConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.server.port).toBe(8080);
    expect(config.auth.mode).toBe('sandbox');
    expect(config.functions.map((f) => f.name)).toEqual([
      'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx',
      'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot',
    ]);
  });
  it('names an unknown key', () => {
    expect(() => parseConfig({ server: { prot: 1 } })).toThrow(/unknown key "server\.prot"/);
  });
  it('names a key with the wrong type', () => {
    expect(() => parseConfig({ server: { port: 'eighty' } })).toThrow(/server\.port/);
  });
  it('refuses the demo user picker when the sandbox is off', () => {
    expect(() =>
      parseConfig({
        mode: 'aws',
        alembic: { versionsDir: 'v' },
        database: { url: 'postgres://x' },
        auth: { mode: 'sandbox' },
      }),
    ).toThrow(/refused when the sandbox is off/);
  });
  it('lets environment variables override single keys', () => {
    const config = loadConfig([], { FLIGHTDECK_PORT: '9090', AWS_REGION: 'eu-west-1' });
    expect(config.server.port).toBe(9090);
    expect(config.aws.region).toBe('eu-west-1');
  });
  it('says which file could not be read', () => {
    expect(() => loadConfig(['--config', '/nonexistent/flightdeck.json'], {})).toThrow(ConfigError);
  });
});
