// Config loading, for any schema: the file, environment overrides, defaults, and errors that name
// the key (and, for a choice, what is allowed). The one place besides config.ts that reads
// process.env or files for configuration.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Partialish = Record<string, unknown>;

/** An environment variable that overrides one config key, converted from its text. */
export type EnvOverride = [name: string, path: string[], convert: (value: string) => unknown];

function setPath(target: Partialish, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Partialish;
  }
  node[path[path.length - 1]!] = value;
}

/** Creates absent object sections so their keys' defaults apply (Value.Default fills only what exists). */
function fillSections(schema: { properties?: Record<string, unknown> }, value: Partialish): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const sub = child as { type?: string; properties?: Record<string, unknown> };
    if (sub.type !== 'object' || !sub.properties) continue;
    if (value[key] === undefined) value[key] = {};
    const next = value[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next))
      fillSections(sub, next as Partialish);
  }
}

/** The schema at a JSON pointer into the config, following properties and array items. */
function schemaAt(schema: unknown, pointer: string): unknown {
  let node = schema as
    { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] } | undefined;
  for (const part of pointer.split('/').filter(Boolean)) {
    if (!node) return undefined;
    if (node.properties && part in node.properties) node = node.properties[part] as typeof node;
    else if (node.items && /^\d+$/.test(part)) node = node.items as typeof node;
    else if (node.anyOf) {
      const object = node.anyOf.find((s) => (s as { properties?: object }).properties) as typeof node;
      node = object?.properties?.[part] as typeof node;
    } else return undefined;
  }
  return node;
}

/** The allowed values of a choice (a union of literals), or null when the schema is no such choice. */
function choices(schema: unknown): string[] | null {
  const anyOf = (schema as { anyOf?: Array<{ const?: unknown }> } | undefined)?.anyOf;
  if (!anyOf) return null;
  const values = anyOf.filter((s) => s.const !== undefined).map((s) => JSON.stringify(s.const));
  return values.length > 0 ? values : null;
}

/** Validates raw config against `schema`, filling defaults; throws ConfigError naming each bad key. */
export function validateConfig<T>(schema: TSchema, raw: unknown): T {
  const input = structuredClone(raw ?? {}) as Partialish;
  fillSections(schema as { properties?: Record<string, unknown> }, input);
  const withDefaults = Value.Default(schema, input);
  const problems = [...Value.Errors(schema, withDefaults)].map((e) => {
    const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const extra = (e.params as { additionalProperties?: string[] }).additionalProperties;
    if (extra) return `unknown key "${path === '(root)' ? '' : path + '.'}${extra.join(', ')}"`;
    const allowed = choices(schemaAt(schema, e.instancePath));
    if (allowed) return `${path}: must be one of ${allowed.join(', ')}`;
    return `${path}: ${e.message}`;
  });
  if (problems.length > 0) {
    throw new ConfigError(`Invalid Flightdeck config:\n  - ${[...new Set(problems)].join('\n  - ')}`);
  }
  return withDefaults as T;
}

/**
 * Reads the config file (FLIGHTDECK_CONFIG or --config) and applies environment overrides;
 * returns the raw values and the folder relative paths in the file are relative to.
 */
export function readRawConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  overrides: readonly EnvOverride[],
): { raw: Partialish; baseDir: string } {
  const flag = argv.indexOf('--config');
  const file = flag >= 0 ? argv[flag + 1] : env.FLIGHTDECK_CONFIG;
  let raw: Partialish = {};
  let baseDir = process.cwd();
  if (file) {
    const path = resolve(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
    }
    try {
      raw = JSON.parse(text) as Partialish;
    } catch (error) {
      throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
    }
    baseDir = dirname(path);
  }
  for (const [name, path, convert] of overrides) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, convert(value));
  }
  return { raw, baseDir };
}
