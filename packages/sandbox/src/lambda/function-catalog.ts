import { createHash, randomUUID } from 'node:crypto';
import { AwsApiError } from '../aws/aws-error.js';
import { uuidFrom } from '../scenario/prng.js';
import type { Timeline } from '../scenario/timeline.js';
import {
  accountId,
  functionStories,
  lastReleaseAgeMs,
  region,
  storyNames,
  type FunctionStory,
} from '../story.js';

export interface FunctionVersion {
  /** "1", "2", … or "$LATEST". */
  version: string;
  description: string;
  codeSha256: string;
  lastModifiedMs: number;
  revisionId: string;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  additionalVersionWeights?: Record<string, number>;
}

export interface LambdaFunction {
  story: FunctionStory;
  latest: FunctionVersion;
  versions: FunctionVersion[];
  aliases: Map<string, AliasRecord>;
}

const dayMs = 86_400_000;

export function functionArn(name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/** Lambda's LastModified format: 2026-01-31T22:14:05.123+0000. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function codeSha256(seed: string): string {
  return createHash('sha256').update(seed).digest('base64');
}

/**
 * The story's Lambda functions: published versions 1..N (SAM publishes one per deploy and
 * moves the alias), `$LATEST` holding the same code as N, and the alias `prod` on N.
 */
export class FunctionCatalog {
  private readonly functions = new Map<string, LambdaFunction>();
  private deploys = 0;

  /** Changes go to the timeline, which metrics and logs read "as of" each moment. */
  constructor(
    storyStartMs: number,
    private readonly timeline: Timeline,
    private readonly now: () => number,
  ) {
    for (const story of functionStories) {
      const count = story.versionNotes.length;
      const lastReleaseMs =
        story.traffic === 'on-demand' ? storyStartMs - 20 * dayMs : storyStartMs - lastReleaseAgeMs;
      const versions = story.versionNotes.map((note, i) => {
        const n = i + 1;
        return {
          version: String(n),
          description: note,
          codeSha256: codeSha256(`${story.name}|${n}`),
          lastModifiedMs: lastReleaseMs - (count - n) * story.releaseEveryDays * dayMs,
          revisionId: uuidFrom(`${story.name}|revision|${n}`),
        };
      });
      const newest = versions[count - 1]!;
      this.functions.set(story.name, {
        story,
        latest: {
          ...newest,
          version: '$LATEST',
          description: story.description,
          revisionId: uuidFrom(`${story.name}|latest`),
        },
        versions,
        aliases: new Map([
          [
            storyNames.alias,
            {
              name: storyNames.alias,
              functionVersion: newest.version,
              description: 'Production traffic (moved by SAM AutoPublishAlias)',
              revisionId: uuidFrom(`${story.name}|alias|${newest.version}`),
            },
          ],
        ]),
      });
      timeline.record(
        newest.lastModifiedMs,
        'function-deployed',
        `${story.name}: version ${newest.version} published (${newest.description})`,
        story.name,
        newest.version,
      );
      timeline.record(
        newest.lastModifiedMs,
        'alias-changed',
        `${story.name}:${storyNames.alias} -> ${newest.version} (sam deploy)`,
        `${story.name}:${storyNames.alias}`,
        newest.version,
      );
    }
  }

  list(): LambdaFunction[] {
    return [...this.functions.values()];
  }

  /**
   * Accepts what Lambda accepts: a name, a partial ARN (123456789012:function:name) or a full
   * ARN, each optionally followed by :qualifier.
   */
  resolve(reference: string): { fn: LambdaFunction; qualifier?: string } {
    const parts = reference.split(':');
    let name: string | undefined;
    let qualifier: string | undefined;
    if (parts[0] === 'arn' && parts.length >= 7 && parts[5] === 'function')
      [name, qualifier] = [parts[6], parts[7]];
    else if (parts.length >= 3 && parts[1] === 'function') [name, qualifier] = [parts[2], parts[3]];
    else if (parts.length <= 2) [name, qualifier] = [parts[0], parts[1]];
    const fn = name === undefined ? undefined : this.functions.get(name);
    if (!fn) throw notFound(`Function not found: ${functionArn(name ?? reference)}`);
    return qualifier === undefined ? { fn } : { fn, qualifier };
  }

  /** A version, an alias or $LATEST, as the configuration it runs. */
  configurationOf(fn: LambdaFunction, qualifier?: string): { version: FunctionVersion; alias?: AliasRecord } {
    if (qualifier === undefined || qualifier === '$LATEST') return { version: fn.latest };
    const alias = fn.aliases.get(qualifier);
    if (alias) return { version: this.versionOf(fn, alias.functionVersion), alias };
    const version = fn.versions.find((v) => v.version === qualifier);
    if (!version) throw notFound(`Function not found: ${functionArn(fn.story.name, qualifier)}`);
    return { version };
  }

  versionOf(fn: LambdaFunction, version: string): FunctionVersion {
    if (version === '$LATEST') return fn.latest;
    const found = fn.versions.find((v) => v.version === version);
    if (!found) throw notFound(`Function not found: ${functionArn(fn.story.name, version)}`);
    return found;
  }

  alias(fn: LambdaFunction, name: string): AliasRecord {
    const alias = fn.aliases.get(name);
    if (!alias) throw notFound(`Alias not found: ${functionArn(fn.story.name, name)}`);
    return alias;
  }

  /** Points an alias elsewhere. `$LATEST` is accepted, as AWS does; the scenario records it. */
  updateAlias(
    fn: LambdaFunction,
    name: string,
    change: {
      functionVersion?: string;
      description?: string;
      revisionId?: string;
      additionalVersionWeights?: Record<string, number>;
    },
  ): { alias: AliasRecord; previousVersion: string } {
    const alias = this.alias(fn, name);
    if (change.revisionId !== undefined && change.revisionId !== alias.revisionId) throw revisionMismatch();
    if (change.functionVersion !== undefined) this.versionOf(fn, change.functionVersion);
    for (const [version, weight] of Object.entries(change.additionalVersionWeights ?? {})) {
      this.versionOf(fn, version);
      if (!(weight >= 0 && weight <= 1))
        throw new AwsApiError(
          'InvalidParameterValueException',
          400,
          `Invalid weight ${weight} for version ${version}`,
          { Type: 'User' },
        );
    }
    const previousVersion = alias.functionVersion;
    if (change.functionVersion !== undefined) alias.functionVersion = change.functionVersion;
    if (change.description !== undefined) alias.description = change.description;
    if (change.additionalVersionWeights !== undefined) {
      if (Object.keys(change.additionalVersionWeights).length === 0) delete alias.additionalVersionWeights;
      else alias.additionalVersionWeights = { ...change.additionalVersionWeights };
    }
    alias.revisionId = randomUUID();
    if (alias.functionVersion !== previousVersion) {
      const note =
        alias.functionVersion === '$LATEST'
          ? ' ($LATEST is not a published version: it changes with every deploy, so this pins nothing)'
          : '';
      this.timeline.record(
        this.now(),
        'alias-changed',
        `${fn.story.name}:${name} ${previousVersion} -> ${alias.functionVersion}${note}`,
        `${fn.story.name}:${name}`,
        alias.functionVersion,
      );
    }
    return { alias, previousVersion };
  }

  /** Publishes $LATEST; unchanged code gives back the newest version, as Lambda does. */
  publishVersion(
    fn: LambdaFunction,
    request: { codeSha256?: string; description?: string; revisionId?: string },
  ): { version: FunctionVersion; created: boolean } {
    const nowMs = this.now();
    if (request.revisionId !== undefined && request.revisionId !== fn.latest.revisionId)
      throw revisionMismatch();
    if (request.codeSha256 !== undefined && request.codeSha256 !== fn.latest.codeSha256)
      throw new AwsApiError(
        'InvalidParameterValueException',
        400,
        `CodeSHA256 (${request.codeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the current CodeSHA256.`,
        { Type: 'User' },
      );
    const newest = fn.versions[fn.versions.length - 1];
    if (newest && newest.codeSha256 === fn.latest.codeSha256) return { version: newest, created: false };
    const version: FunctionVersion = {
      version: String(fn.versions.length + 1),
      description: request.description ?? '',
      codeSha256: fn.latest.codeSha256,
      lastModifiedMs: nowMs,
      revisionId: randomUUID(),
    };
    fn.versions.push(version);
    this.timeline.record(
      nowMs,
      'version-published',
      `${fn.story.name}: version ${version.version} published`,
      fn.story.name,
      version.version,
    );
    return { version, created: true };
  }

  /** New code on $LATEST (what `sam deploy` without publishing does). Sandbox control only. */
  deployCode(fn: LambdaFunction): FunctionVersion {
    const nowMs = this.now();
    this.deploys += 1;
    fn.latest = {
      ...fn.latest,
      codeSha256: codeSha256(`${fn.story.name}|deploy|${this.deploys}|${nowMs}`),
      lastModifiedMs: nowMs,
      revisionId: randomUUID(),
    };
    this.timeline.record(
      nowMs,
      'function-deployed',
      `${fn.story.name}: new code on $LATEST (not published)`,
      fn.story.name,
      '$LATEST',
    );
    return fn.latest;
  }

  /** The version an alias sent traffic to at a moment: the timeline, else the release then current. */
  aliasVersionAt(functionName: string, aliasName: string, atMs: number): string {
    const changed = this.timeline.latest('alias-changed', atMs, `${functionName}:${aliasName}`);
    if (changed?.value !== undefined) return changed.value;
    const fn = this.functions.get(functionName);
    const released = fn?.versions.filter((v) => v.lastModifiedMs <= atMs).pop();
    return released?.version ?? '1';
  }
}

function notFound(message: string): AwsApiError {
  return new AwsApiError('ResourceNotFoundException', 404, message, { Type: 'User' });
}

function revisionMismatch(): AwsApiError {
  return new AwsApiError(
    'PreconditionFailedException',
    412,
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    { Type: 'User' },
  );
}
