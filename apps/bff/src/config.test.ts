import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  it('lists what a choice allows', () => {
    expect(() => parseConfig({ auth: { defaultRole: 'admin' } })).toThrow(
      /auth\.defaultRole: must be one of "viewer", "none"/,
    );
    expect(() => parseConfig({ mode: 'prod' })).toThrow(/mode: must be one of "sandbox", "aws"/);
  });
  it('resolves paths once, at load, against the config file’s folder', () => {
    const config = parseConfig(
      { alembic: { versionsDir: 'alembic/versions' }, store: { dataDir: 'state' } },
      '/srv/app',
    );
    expect(config.alembic.versionsDir).toBe('/srv/app/alembic/versions');
    expect(config.store.dataDir).toBe('/srv/app/state');
    expect(parseConfig({ store: { dataDir: 'memory://' } }).store.dataDir).toBe('memory://');
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
        rds: { dbInstanceIdentifier: 'acme-db' },
        functions: [{ name: 'acme-api' }],
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

  describe('aws mode names every target itself', () => {
    const complete = {
      mode: 'aws',
      database: { url: 'postgres://flightdeck_ro@db.acme.internal/acme' },
      alembic: { versionsDir: 'alembic/versions' },
      rds: { dbInstanceIdentifier: 'acme-db' },
      functions: [{ name: 'acme-api', alias: 'live' }],
      auth: { mode: 'proxy' },
    };
    const without = (key: 'functions' | 'rds' | 'alembic') => ({ ...complete, [key]: undefined });

    it('starts with a complete config, and nothing of the story is in it', () => {
      const config = parseConfig(complete);
      expect(JSON.stringify(config)).not.toMatch(/credmate|portal_pin/);
      expect(config.redaction.secretKeys).toEqual([]);
    });
    it.each([
      ['functions', 'functions'],
      ['rds', 'rds.dbInstanceIdentifier'],
      ['alembic', 'alembic.versionsDir'],
    ] as const)('refuses a config without %s, naming %s', (key, named) => {
      expect(() => parseConfig(without(key))).toThrow(ConfigError);
      expect(() => parseConfig(without(key))).toThrow(
        new RegExp(`${named.replace('.', '\\.')} is required in aws mode`),
      );
    });
    it('names every missing key at once', () => {
      expect(() =>
        parseConfig({ mode: 'aws', auth: { mode: 'proxy' }, database: { url: 'postgres://x' } }),
      ).toThrow(
        /functions is required[\s\S]*rds\.dbInstanceIdentifier is required[\s\S]*alembic\.versionsDir/,
      );
    });
    it('takes secret field names from config; the story’s portal_pin is a sandbox default only', () => {
      expect(parseConfig({}).redaction.secretKeys).toEqual(['portal_pin']);
      expect(
        parseConfig({ ...complete, redaction: { secretKeys: ['badge_code'] } }).redaction.secretKeys,
      ).toEqual(['badge_code']);
    });
    it('requires the issuer and client id for ALB sign-in', () => {
      expect(() =>
        parseConfig({
          ...complete,
          auth: {
            mode: 'alb',
            alb: { signerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1' },
          },
        }),
      ).toThrow(/auth\.alb\.issuer is required[\s\S]*auth\.alb\.clientId is required/);
    });
  });

  it('stops start-up with exit code 2 and the key named, without a stack trace', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          FLIGHTDECK_MODE: 'aws',
          FLIGHTDECK_AUTH_MODE: 'proxy',
          DATABASE_URL: 'postgres://x',
          FLIGHTDECK_CONFIG: '',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/functions is required in aws mode/);
    expect(result.stderr).toMatch(/rds\.dbInstanceIdentifier is required in aws mode/);
    expect(result.stderr).not.toMatch(/at .+\.(ts|js):\d+/);
  });
});
