import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './overview-load.js';

export type { LoadResult };

const loadScript = fileURLToPath(new URL('./overview-load.ts', import.meta.url));

/** overview-load.ts in a child process of its own (fork() keeps the bench's tsx loader). */
export function overviewUnderLoad(
  base: string,
  connections: number,
  durationMs: number,
  path = '/api/v1/overview',
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(loadScript, [base, String(connections), String(durationMs), path], {
      stdio: 'inherit',
    });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
  });
}
