// Module hooks for the production-start test: every module the BFF resolves, one URL a line.
import { appendFileSync } from 'node:fs';

let logPath;
export function initialize(data) {
  logPath = data.logPath;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(logPath, `${resolved.url}\n`);
  return resolved;
}
