import type { Leadership } from './leader-election.js';

/** Something only the collector leader does: poll an upstream, evaluate, resume jobs. */
export interface LeaderDuty {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * Starts the duties when this replica becomes the leader and stops them when it stops leading,
 * so only one replica polls AWS, the target database and the versions folder at a time.
 */
export function runWhileLeading(
  leadership: Leadership,
  duties: LeaderDuty[],
  log: { warn(message: string): void },
): () => void {
  return leadership.onChange(async (leading) => {
    for (const duty of leading ? duties : [...duties].reverse()) {
      try {
        await (leading ? duty.start() : duty.stop());
      } catch (error) {
        log.warn(`${leading ? 'starting' : 'stopping'} ${duty.name} failed: ${(error as Error).message}`);
      }
    }
  });
}
