// Frontend rollback: redeploy the baseline tag through the configured command (an argument
// list run without a shell) or webhook; its output is streamed into the job and kept.
import { spawn } from 'node:child_process';
import type { RollbackBaseline, RollbackOrderView, RollbackPlan } from '@flightdeck/contracts';
import type { JobContext } from './job-context.js';
import { Conflict, NotFound } from '../../platform/errors/errors.js';

export const frontendSteps = ['redeploy', 'verify'];

export interface FrontendRedeploy {
  command?: string[];
  webhookUrl?: string;
  name: string;
}

export function previewFrontendRollback(
  redeploy: FrontendRedeploy | undefined,
  deployId: string,
  baseline: RollbackBaseline,
  target: string,
  order: RollbackOrderView,
): RollbackPlan {
  if (!redeploy || (!redeploy.command && !redeploy.webhookUrl))
    throw new Conflict(
      'NotConfigured',
      'Frontend rollbacks need rollbacks.frontend.command (an argument list) or rollbacks.frontend.webhookUrl in the configuration.',
    );
  if (target !== redeploy.name)
    throw new NotFound('UnknownTarget', `The frontend is called ${redeploy.name}, not ${target}.`);
  const ref = baseline.frontendRef;
  const call = redeploy.command
    ? {
        service: 'command',
        operation: 'run',
        parameters: { argv: redeploy.command.map((a) => a.replaceAll('{ref}', ref ?? '')) },
      }
    : { service: 'webhook', operation: 'POST', parameters: { url: redeploy.webhookUrl, body: { ref } } };
  return {
    deployId,
    kind: 'frontend',
    target,
    confirmationText: target,
    current: `${target} (current release)`,
    desired: `${target} at ${ref ?? '(no baseline tag)'}`,
    calls: [call],
    expectedDuration: 'about 5-10 minutes',
    revisionId: null,
    order,
    blocked: ref ? null : "The deploy's baseline recorded no frontend tag.",
  };
}

const maxLines = 2_000;

export async function runFrontendRollback(context: JobContext): Promise<void> {
  const call = context.job.plan.calls[0]!;
  if (context.step('redeploy').state === 'running') {
    // Interrupted by a restart: a redeploy is not known to be safe to repeat; say where it stopped.
    await context.mark('redeploy', 'failed', 'interrupted by a restart');
    return context.fail(
      'Flightdeck restarted during the redeploy; check the frontend and run it again if needed.',
    );
  }
  await context.mark(
    'redeploy',
    'running',
    call.service === 'command' ? 'running the command' : 'calling the webhook',
  );
  const output: string[] = [];
  let flushing = Promise.resolve();
  const append = (text: string) => {
    output.push(...text.split(/\r?\n/).filter((l) => l.length > 0));
    output.splice(0, Math.max(0, output.length - maxLines));
    flushing = flushing.then(() => context.update((job) => void (job.output = [...output])));
  };
  let ok: boolean;
  let detail: string;
  if (call.service === 'command') {
    const [file, ...args] = (call.parameters as { argv: string[] }).argv;
    const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
      const child = spawn(file!, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (b: Buffer) => append(b.toString()));
      child.stderr.on('data', (b: Buffer) => append(b.toString()));
      child.once('error', (error) => resolve({ code: null, error }));
      child.once('close', (code) => resolve({ code }));
    });
    ok = exit.code === 0;
    detail = exit.error ? `could not start: ${exit.error.message}` : `exit code ${exit.code}`;
  } else {
    const { url, body } = call.parameters as { url: string; body: unknown };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      append(await response.text());
      ok = response.ok;
      detail = `HTTP ${response.status}`;
    } catch (error) {
      ok = false;
      detail = (error as Error).message;
    }
  }
  await flushing;
  await context.mark('redeploy', ok ? 'done' : 'failed', detail);
  if (!ok) return context.fail(`The redeploy failed (${detail}).`);
  await context.update((job) => {
    job.verification = [{ check: 'redeploy', ok: true, detail: `${job.plan.desired}: ${detail}` }];
  });
  await context.mark('verify', 'done', detail);
  return context.succeed();
}
