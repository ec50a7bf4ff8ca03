import type { DeployDetail, MigrationLockMeasurement } from '@flightdeck/contracts';
import type { WatchMetrics } from '@flightdeck/contracts';
import { restoredInstanceIdentifier } from '../aws/resource-names.js';
import { countOf } from '../text/count-of.js';
import { renderLockMeasurement } from '../locks/lock-measurement.js';
import { isRecordEvent, recordKindWords } from './deploy-record.js';

export interface AppliedRevision {
  revision: string;
  description: string;
  tables: number;
  columns: number;
  indexes: number;
  enumValues: number;
}

export interface DeployReportInput {
  detail: DeployDetail;
  applied: AppliedRevision[];
  /** Database revision now, to show the target reached. */
  currentRevision: string | null;
  metricsBefore: WatchMetrics | null;
  metricsAfter: WatchMetrics | null;
  region: string;
  /**
   * What the migration held, measured by the lock poll: a section when set (null: measured
   * nothing), none when the deploy never migrated (undefined).
   */
  locks?: MigrationLockMeasurement | null;
  /**
   * Where each alias points now and the rollback target the Overview, the checklist and the
   * Rollbacks page name (the newest published version older than the live one), from the live
   * read; without it the report falls back to the version recorded at prepare.
   */
  liveAliases?: Array<{ functionName: string; alias: string; live: string | null; target: string | null }>;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const rate = (m: WatchMetrics) => (m.invocations === 0 ? 0 : (m.errors / m.invocations) * 100);
const icon: Record<string, string> = {
  pass: '✅',
  'signed-off': '✅',
  fail: '❌',
  stale: '⏳',
  pending: '⬜',
};

const ms = (p99: number | null | undefined) =>
  p99 === null || p99 === undefined ? 'n/a' : `${p99.toFixed(1)} ms`;

/** Each function's p99 before and after: the p99 item holds each to its own baseline. */
function p99ByFunctionTable(before: WatchMetrics | null, after: WatchMetrics | null): string[] {
  const functions = [...(before?.p99ByFunction ?? []), ...(after?.p99ByFunction ?? [])];
  const names = [...new Map(functions.map((f) => [f.functionName, f.label])).entries()];
  if (names.length === 0) return [];
  const p99Of = (m: WatchMetrics | null, name: string) =>
    m?.p99ByFunction?.find((f) => f.functionName === name)?.p99Ms;
  return [
    '',
    '| Function | p99 before | p99 after |',
    '|---|---|---|',
    ...names.map(
      ([name, label]) => `| ${cell(label)} | ${ms(p99Of(before, name))} | ${ms(p99Of(after, name))} |`,
    ),
  ];
}

/** The same target the Rollbacks page offers by default; the version recorded at prepare without a live read. */
function aliasReadiness(
  recorded: string,
  live: { live: string | null; target: string | null } | undefined,
): string {
  if (live?.live)
    return live.target
      ? `ready, back to version ${live.target} (live: ${live.live})`
      : `not ready: no published version older than the live ${live.live}`;
  return /^\d+$/.test(recorded)
    ? `ready, back to version ${recorded}`
    : `not ready: ${recorded} is not a published version`;
}

/** How a rollback job of the record ended, in words ("; succeeded" …), or that it is still going. */
function rollbackOutcome(record: DeployDetail['timeline'], jobId: unknown): string {
  const last = record
    .filter((e) => jobId !== undefined && e.details.jobId === jobId && e.kind !== 'rollback-started')
    .at(-1);
  if (!last) return '; still running';
  return last.kind === 'rollback-verifying'
    ? '; applied, verifying'
    : `; ${String(last.details.state ?? last.kind)}`;
}

/** The deployment report in Markdown: what the team wrote by hand, from what Flightdeck recorded. */
export function renderDeployReport(input: DeployReportInput): string {
  const { deploy, checklist, verdict, timeline } = input.detail;
  const b = deploy.baseline;
  const lines: string[] = [];
  lines.push(`# Deployment report: ${deploy.environment} (${deploy.id})`, '');
  const r = deploy.release;
  if (r?.name || r?.commit)
    lines.push(
      `- Release: ${[r.name, r.commit ? `commit ${r.commit}` : null].filter(Boolean).join(', ')}${r.url ? ` (${r.url})` : ''}`,
    );
  if (r?.notes) lines.push(`- Notes: ${r.notes.replace(/\n/g, ' ')}`);
  lines.push(`- Prepared by ${deploy.preparedBy} at ${deploy.preparedAt}`);
  lines.push(
    `- Phase: ${deploy.phase}${deploy.ending ? ` (${deploy.ending.message}, ${deploy.ending.at})` : ''}`,
  );
  lines.push(`- Verdict (${verdict.question}): **${verdict.verdict}**`);
  for (const reason of verdict.reasons) lines.push(`  - ${reason}`);
  lines.push('');

  lines.push('## What was applied', '');
  lines.push(
    `Database revision ${b.databaseRevision ?? 'unknown'} → ${input.currentRevision ?? 'unknown'} (code head ${b.codeHead ?? 'unknown'}).`,
    '',
  );
  if (input.applied.length > 0) {
    lines.push(
      '| Revision | Description | Tables | Columns | Indexes | Enum values |',
      '|---|---|---|---|---|---|',
    );
    for (const r of input.applied)
      lines.push(
        `| ${cell(r.revision)} | ${cell(r.description)} | ${r.tables} | ${r.columns} | ${r.indexes} | ${r.enumValues} |`,
      );
    const sum = (key: 'tables' | 'columns' | 'indexes' | 'enumValues') =>
      input.applied.reduce((n, r) => n + r[key], 0);
    lines.push(
      '',
      `Total: ${countOf(sum('tables'), 'table')}, ${countOf(sum('columns'), 'column')}, ${countOf(sum('indexes'), 'index', 'indexes')}, ${countOf(sum('enumValues'), 'enum value')}.`,
    );
  } else lines.push('No revisions applied.');
  lines.push('');

  if (input.locks !== undefined) lines.push(...renderLockMeasurement(input.locks));

  lines.push('## Backups and how to restore them', '');
  if (b.snapshot) {
    lines.push(`- RDS snapshot \`${b.snapshot.identifier}\` of \`${b.snapshot.instance}\`:`);
    lines.push(
      // the name Flightdeck's own restore would use for this deploy: inside the IAM policy's db:<instance>-restored-*
      `  \`aws rds restore-db-instance-from-db-snapshot --region ${input.region} --db-snapshot-identifier ${b.snapshot.identifier} --db-instance-identifier ${restoredInstanceIdentifier(b.snapshot.instance, deploy.id)}\``,
    );
  } else lines.push('- No RDS snapshot was taken.');
  for (const a of b.aliases) {
    const published = /^\d+$/.test(a.version);
    lines.push(
      published
        ? `- Lambda \`${a.functionName}:${a.alias}\` was at version ${a.version}: \`aws lambda update-alias --function-name ${a.functionName} --name ${a.alias} --function-version ${a.version}\``
        : `- Lambda \`${a.functionName}:${a.alias}\` was at ${a.version}, not a published version: pointing the alias back would change nothing.`,
    );
  }
  lines.push(
    `- Frontend: ${b.frontendRef ? `\`${b.frontendRef}\` (redeploy this ref)` : 'no ref recorded'}`,
    '',
  );

  lines.push(
    '## Verification evidence',
    '',
    '| Phase | Item | State | Evidence | Taken at |',
    '|---|---|---|---|---|',
  );
  for (const item of checklist) {
    const evidence = item.evidence ? `${item.evidence.question} ${item.evidence.value}` : item.reason;
    const at = item.evidence?.evaluatedAt ?? item.signOff?.at ?? '';
    lines.push(
      `| ${item.phase} | ${cell(item.title)} | ${icon[item.state]} ${item.state} | ${cell(evidence)} | ${at} |`,
    );
  }
  lines.push('');

  lines.push('## Metrics before and after', '');
  if (input.metricsBefore || input.metricsAfter) {
    lines.push('| | Invocations | Errors | Error rate | p99 | Schema errors |', '|---|---|---|---|---|---|');
    for (const [label, m] of [
      ['Before', input.metricsBefore],
      ['After', input.metricsAfter],
    ] as const)
      if (m)
        lines.push(
          `| ${label} | ${m.invocations} | ${m.errors} | ${rate(m).toFixed(2)} % | ${m.p99Ms === null ? 'n/a' : `${m.p99Ms.toFixed(1)} ms`} | ${m.schemaErrors} |`,
        );
    lines.push(...p99ByFunctionTable(input.metricsBefore, input.metricsAfter));
  } else lines.push('No metrics recorded.');
  lines.push('');

  // The record: rollbacks, refusals, error episodes, alias changes, verdict flips, sign-offs, in order.
  lines.push('## What happened', '');
  // In the order it happened (an episode is written down once its minute is whole, after later events).
  const record = timeline
    .filter((e) => isRecordEvent(e.kind))
    .map((e, i) => ({ e, i }))
    .sort((a, b) => Date.parse(a.e.at) - Date.parse(b.e.at) || a.i - b.i)
    .map(({ e }) => e);
  if (record.length > 0) {
    lines.push('| Time (UTC) | Event | What |', '|---|---|---|');
    for (const e of record)
      lines.push(
        `| ${e.at.slice(0, 19).replace('T', ' ')} | ${isRecordEvent(e.kind) ? recordKindWords[e.kind] : e.kind} | ${cell(e.message)} |`,
      );
    const rollbacks = record.filter((e) => e.kind === 'rollback-started').length;
    const refused = record.filter((e) => e.kind === 'rollback-refused').length;
    const episodes = record.filter((e) => e.kind === 'errors-started').length;
    lines.push(
      '',
      `${rollbacks} rollback${rollbacks === 1 ? '' : 's'} started, ${refused} refused; ${episodes} error episode${episodes === 1 ? '' : 's'}.`,
    );
  } else
    lines.push('No rollbacks, error episodes, alias changes, verdict changes or sign-offs were recorded.');
  lines.push('');

  lines.push('## Timeline', '');
  for (const e of timeline) lines.push(`- ${e.at} — ${e.kind}: ${e.message}`);
  lines.push('');

  lines.push('## Rollbacks ready', '');
  // Rollbacks already run are not "ready": what they did, and how they ended, comes first.
  for (const e of record.filter((x) => x.kind === 'rollback-started'))
    lines.push(`- Already run: ${e.message}${rollbackOutcome(record, e.details.jobId)}`);
  lines.push(`- Database: ${b.snapshot ? `restore \`${b.snapshot.identifier}\`` : 'not ready: no snapshot'}`);
  for (const a of b.aliases) {
    const live = input.liveAliases?.find((l) => l.functionName === a.functionName && l.alias === a.alias);
    lines.push(`- Lambda ${a.functionName}:${a.alias}: ${aliasReadiness(a.version, live)}`);
  }
  lines.push(
    `- Frontend: ${b.frontendRef ? `ready, redeploy \`${b.frontendRef}\`` : 'not ready: no ref recorded'}`,
  );
  return `${lines.join('\n')}\n`;
}
