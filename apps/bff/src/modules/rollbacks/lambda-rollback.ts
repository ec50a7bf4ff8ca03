// Lambda rollback: point the alias back to the baseline's version with UpdateAlias and the
// alias's RevisionId, so a change someone made meanwhile is refused by Lambda, never overwritten.
import {
  GetAliasCommand,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { isPublishedVersion, publishedVersionsAround } from '@flightdeck/core';
import type { RollbackBaseline, RollbackOrderView, RollbackPlan } from '@flightdeck/contracts';
import type { JobContext } from './job-context.js';
import { Conflict, NotFound } from '../../platform/errors/errors.js';
import { StoppingError } from '../../platform/upstreams/shutdown-signal.js';

export const lambdaSteps = ['check alias', 'update alias', 'verify'];

export interface AliasNow {
  version: string;
  revisionId: string;
}

export async function readAlias(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
): Promise<AliasNow> {
  const found = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
  return { version: found.FunctionVersion ?? '$LATEST', revisionId: found.RevisionId ?? '' };
}

export function baselineAlias(baseline: RollbackBaseline, functionName: string) {
  const entry = baseline.aliases.find((a) => a.functionName === functionName);
  if (!entry)
    throw new NotFound(
      'NotInBaseline',
      `The deploy's baseline has no alias of ${functionName}; pick one of: ${baseline.aliases.map((a) => a.functionName).join(', ') || '(none recorded)'}.`,
    );
  return entry;
}

/** The function's published versions, newest first (every page of ListVersionsByFunction). */
export async function publishedVersions(lambda: LambdaClient, functionName: string): Promise<string[]> {
  const versions: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }),
    );
    versions.push(...(page.Versions ?? []).map((v) => v.Version ?? '').filter(isPublishedVersion));
    marker = page.NextMarker;
  } while (marker);
  return versions.sort((a, b) => Number(b) - Number(a));
}

/**
 * The plan for pointing the alias at `version`, or by default at the newest published version
 * older than the live one (the target the Overview and the checklist name too). A target that is
 * the live version, or not a published one, is shown and cannot be started.
 */
export async function previewLambdaRollback(
  lambda: LambdaClient,
  deployId: string,
  baseline: RollbackBaseline,
  functionName: string,
  order: RollbackOrderView,
  version?: string,
): Promise<RollbackPlan> {
  const entry = baselineAlias(baseline, functionName);
  const [now, published] = await Promise.all([
    readAlias(lambda, functionName, entry.alias),
    publishedVersions(lambda, functionName),
  ]);
  const fallback = publishedVersionsAround(published, now.version).previous;
  const target = version ?? fallback ?? entry.version;
  let blocked: string | null = null;
  if (version !== undefined && !published.includes(version))
    blocked = `Version ${version} is not a published version of ${functionName}; published: ${published.slice(0, 10).join(', ') || 'none'}.`;
  else if (!isPublishedVersion(target))
    blocked = `The baseline recorded ${target}, not a published version: pointing the alias there changes nothing.`;
  else if (now.version === target)
    blocked = `${functionName}:${entry.alias} already points to version ${target}, the live version${target === entry.version ? ' and the baseline' : ''}: nothing to roll back to there.`;
  else if (order.order === 'database-first')
    blocked = `The database must go back first: ${order.reasons[0] ?? ''}`;
  return {
    deployId,
    kind: 'lambda',
    target: functionName,
    confirmationText: functionName,
    current: `${entry.alias} -> ${now.version}`,
    desired: `${entry.alias} -> ${target}`,
    calls: [
      {
        service: 'Lambda',
        operation: 'UpdateAlias',
        parameters: {
          FunctionName: functionName,
          Name: entry.alias,
          FunctionVersion: target,
          RevisionId: now.revisionId,
        },
      },
    ],
    expectedDuration: `about 2-3 minutes until all traffic runs version ${target}`,
    revisionId: now.revisionId,
    currentVersion: now.version,
    order,
    blocked,
  };
}

const isPreconditionFailed = (error: unknown) =>
  (error as { name?: string }).name === 'PreconditionFailedException';

/** Runs (or resumes) a lambda rollback job. */
export async function runLambdaRollback(context: JobContext, lambda: LambdaClient, mutations: LambdaClient) {
  const job = context.job;
  const params = job.plan.calls[0]!.parameters as {
    FunctionName: string;
    Name: string;
    FunctionVersion: string;
  };
  const expected = context.stored.expectedRevisionId;
  // Where the alias pointed when the job was accepted: checked besides the RevisionId, which an
  // endpoint may not enforce.
  const plannedVersion = job.plan.currentVersion;
  const describe = (a: AliasNow) => `${params.Name} -> ${a.version} (RevisionId ${a.revisionId})`;

  // 1. Where is the alias now? Also the resume point after a restart or a lost response.
  if (context.step('update alias').state !== 'done') {
    await context.mark('check alias', 'running', null);
    const now = await readAlias(lambda, params.FunctionName, params.Name);
    if (now.version === params.FunctionVersion) {
      await context.mark('check alias', 'done', `already ${describe(now)}`);
      await context.mark('update alias', 'done', 'the alias already points to the target');
    } else if (
      (expected && now.revisionId !== expected) ||
      (plannedVersion && now.version !== plannedVersion)
    ) {
      await context.mark('check alias', 'failed', `changed since the preview: now ${describe(now)}`);
      return context.fail(
        `${params.FunctionName}:${params.Name} changed after the preview (now ${now.version}); nothing was overwritten.`,
      );
    } else {
      await context.mark('check alias', 'done', describe(now));
      // 2. Sent once, guarded by the RevisionId: Lambda refuses it if the alias moved meanwhile.
      await context.mark(
        'update alias',
        'running',
        `UpdateAlias ${params.Name} -> ${params.FunctionVersion}`,
      );
      try {
        await mutations.send(new UpdateAliasCommand({ ...params, RevisionId: expected ?? now.revisionId }));
        await context.mark('update alias', 'done', `${params.Name} -> ${params.FunctionVersion}`);
      } catch (error) {
        // Flightdeck is stopping: the job stays running, and the next start asks Lambda where it is.
        if (error instanceof StoppingError) throw error;
        if (isPreconditionFailed(error)) {
          const after = await readAlias(lambda, params.FunctionName, params.Name).catch(() => null);
          await context.mark('update alias', 'failed', 'Lambda refused: the alias changed meanwhile');
          return context.fail(
            `Someone changed ${params.FunctionName}:${params.Name} meanwhile${after ? ` (now ${after.version})` : ''}; nothing was overwritten.`,
          );
        }
        // The answer may be lost though the change happened: ask Lambda before deciding.
        const after = await readAlias(lambda, params.FunctionName, params.Name).catch(() => null);
        if (after?.version === params.FunctionVersion) {
          await context.mark(
            'update alias',
            'done',
            `${params.Name} -> ${params.FunctionVersion} (answer lost, confirmed by GetAlias)`,
          );
        } else {
          await context.mark('update alias', 'failed', (error as Error).message);
          return context.fail(
            `UpdateAlias failed: ${(error as Error).message}. AWS state: ${after ? describe(after) : 'unknown (GetAlias failed too)'}.`,
          );
        }
      }
    }
  }

  // 3. Verify.
  await context.mark('verify', 'running', null);
  const final = await readAlias(lambda, params.FunctionName, params.Name);
  const ok = final.version === params.FunctionVersion;
  await context.update((j) => {
    j.verification = j.verification.filter((v) => v.check !== 'alias');
    j.verification.push({
      check: 'alias',
      ok,
      detail: `${params.FunctionName}:${params.Name} points to version ${final.version}${ok ? ', the target' : `, not the target ${params.FunctionVersion}`}`,
    });
  });
  await context.mark('verify', ok ? 'done' : 'failed', describe(final));
  // Pointing the alias back is half of it: the job stays verifying until the error rate has a whole
  // minute of traffic after the change to be judged on (JobVerifier).
  return ok ? context.verifying() : context.fail(`After the update the alias points to ${final.version}.`);
}
