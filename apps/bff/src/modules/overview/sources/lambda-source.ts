import {
  GetAliasCommand,
  ListVersionsByFunctionCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { FunctionAlias, LambdaAliases } from '@flightdeck/contracts';
import { isPublishedVersion, publishedVersionsAround } from '@flightdeck/core';
import type { Source } from '../../../platform/sources/collector.js';

interface AliasTarget {
  name: string;
  label: string;
  alias: string;
}

/** Where each function's alias points and which published version a rollback would go back to. */
export class LambdaAliasSource implements Source<LambdaAliases> {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functions: AliasTarget[],
  ) {}

  async fetch(): Promise<LambdaAliases> {
    return { functions: await Promise.all(this.functions.map((fn) => this.describe(fn))) };
  }

  private async describe(fn: AliasTarget): Promise<FunctionAlias> {
    const [alias, versions] = await Promise.all([
      this.lambda.send(new GetAliasCommand({ FunctionName: fn.name, Name: fn.alias })),
      this.listVersions(fn.name),
    ]);
    const aliasVersion = alias.FunctionVersion ?? null;
    const { latest, previous } = publishedVersionsAround(
      versions.map((v) => v.Version ?? ''),
      aliasVersion,
    );
    const current = versions.find((v) => v.Version === aliasVersion);
    return {
      functionName: fn.name,
      label: fn.label,
      alias: fn.alias,
      aliasVersion,
      latestPublishedVersion: latest,
      previousPublishedVersion: previous,
      runtime: current?.Runtime ?? null,
      lastModified: current?.LastModified ?? null,
      versions: versions
        .filter((v) => isPublishedVersion(v.Version ?? null))
        .sort((a, b) => Number(b.Version) - Number(a.Version))
        .slice(0, 25)
        .map((v) => ({
          version: v.Version!,
          lastModified: v.LastModified ?? null,
          description: v.Description || null,
        })),
    };
  }

  private async listVersions(functionName: string): Promise<FunctionConfiguration[]> {
    const out: FunctionConfiguration[] = [];
    let marker: string | undefined;
    do {
      const page = await this.lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }),
      );
      out.push(...(page.Versions ?? []));
      marker = page.NextMarker;
    } while (marker);
    return out;
  }
}
