import type { TrafficProfile } from '../story.js';

/** A real call to a function (Invoke): kept as it happened and shown in its metrics and logs. */
export interface RecordedInvocation {
  functionName: string;
  startMs: number;
  durationMs: number;
  failed: boolean;
  version: string;
  /** The Resource dimension: "name", "name:alias" or "name:version". */
  resource: string;
  requestId: string;
  memoryUsedMb: number;
  /** Application log lines, each with its offset from the start. */
  lines: { offsetMs: number; message: string }[];
}

export interface TrafficFunction {
  name: string;
  profile: TrafficProfile;
  memorySizeMb: number;
  /** The alias that generated traffic goes through. */
  alias: string;
}

/** The scenario as traffic sees it: what was true at each moment. */
export interface TrafficWorld {
  readonly functions: readonly TrafficFunction[];
  /** No metrics or logs before this (seven days before the story started). */
  historyStartMs(): number;
  now(): number;
  /** The version the function's alias sent traffic to at that time. */
  aliasVersionAt(functionName: string, atMs: number): string;
  /** Times in [fromMs, toMs) at which the alias moved. */
  aliasChangesBetween(functionName: string, fromMs: number, toMs: number): number[];
  notificationPreferencesMissingAt(atMs: number): boolean;
  /** Whether this version's code reads the notification preferences table. */
  readsNotificationPreferences(functionName: string, version: string): boolean;
  recordedBetween(functionName: string, fromMs: number, toMs: number): readonly RecordedInvocation[];
}
