import type { FastifyInstance } from 'fastify';

/** How long modules get to finish their work on close before it is abandoned. */
export const shutdownGraceMs = 3_000;

/** True when `work` settles within `ms`; it is left running otherwise. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes the server within the grace: AWS calls are abandoned at once (platform preClose); what
 * still runs after it (a hung database query, say) is left, as after a kill -9, which jobs
 * survive: they are rows, resumed on the next start.
 */
export async function closeWithin(
  app: FastifyInstance,
  ms = shutdownGraceMs,
): Promise<'finished' | 'abandoned'> {
  const finished = await settlesWithin(app.close(), ms);
  if (!finished) app.log.warn(`Still stopping after ${ms} ms: abandoning the work in flight.`);
  return finished ? 'finished' : 'abandoned';
}
