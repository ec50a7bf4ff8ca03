// Rules whose data Flightdeck fetches for the item itself (a URL, a query, an alarm, a metric, the
// lint of the release's revisions): the BFF takes the reading, these functions judge it and write
// the evidence so a person could check it by hand.
import type { ChecklistRule, LintSeverity, MetricComparison } from './checklist-template.js';
import type { RuleResult } from './readiness-rules.js';
import { countOf } from '../text/count-of.js';

type RuleOf<T extends ChecklistRule['type']> = Extract<ChecklistRule, { type: T }>;

export interface HttpReading {
  url: string;
  status: number | null;
  /** Whether the body holds the expected text; null when none was asked or there was no answer. */
  bodyHasText: boolean | null;
  error: string | null;
}

export function judgeHttpCheck(rule: RuleOf<'http-check'>, readings: HttpReading[]): RuleResult {
  const status = rule.status ?? 200;
  const text = rule.bodyContains;
  const question = `Does ${rule.urls.join(' and ')} answer ${status}${text ? ` with "${text}" in the body` : ''}?`;
  const lines = readings.map((r) => {
    if (r.error) return { ok: false, line: `${r.url}: no answer (${r.error})` };
    const statusOk = r.status === status;
    const textOk = !text || r.bodyHasText === true;
    return {
      ok: statusOk && textOk,
      line: `${r.url}: HTTP ${r.status}${text ? (r.bodyHasText ? `, body has "${text}"` : `, body lacks "${text}"`) : ''}`,
    };
  });
  return {
    question,
    value: lines.map((l) => l.line).join('; '),
    passed: lines.length === rule.urls.length && lines.every((l) => l.ok),
  };
}

export interface SqlReading {
  rows: Record<string, unknown>[] | null;
  error: string | null;
}

export function judgeSqlCheck(rule: RuleOf<'sql-check'>, reading: SqlReading): RuleResult {
  const question = `Does the read-only query \`${rule.sql}\` answer ${JSON.stringify(rule.expect)}?`;
  if (reading.error || !reading.rows)
    return { question, value: `query failed: ${reading.error}`, passed: false };
  const first = reading.rows[0];
  if (!first) return { question, value: 'no rows', passed: false };
  const value = Object.values(first)[0];
  const shown = value === null || value === undefined ? 'null' : String(value);
  return {
    question,
    value: `${shown} (${reading.rows.length} row${reading.rows.length === 1 ? '' : 's'})`,
    passed: shown === String(rule.expect),
  };
}

export interface AlarmReading {
  alarms: Array<{ name: string; state: string; reason: string | null }> | null;
  error: string | null;
}

export function judgeAlarms(rule: RuleOf<'cloudwatch-alarm'>, reading: AlarmReading): RuleResult {
  const question = `Are the CloudWatch alarms ${rule.alarmNames.join(', ')} in state OK (DescribeAlarms)?`;
  if (reading.error || !reading.alarms)
    return { question, value: `DescribeAlarms failed: ${reading.error}`, passed: false };
  const found = new Map(reading.alarms.map((a) => [a.name, a]));
  const lines = rule.alarmNames.map((name) => {
    const alarm = found.get(name);
    if (!alarm) return { ok: false, line: `${name}: no such alarm` };
    return {
      ok: alarm.state === 'OK',
      line: `${name}: ${alarm.state}${alarm.state !== 'OK' && alarm.reason ? ` (${alarm.reason})` : ''}`,
    };
  });
  return { question, value: lines.map((l) => l.line).join('; '), passed: lines.every((l) => l.ok) };
}

export interface MetricReading {
  /** The statistic over the whole window; null when CloudWatch had no datapoint. */
  value: number | null;
  error: string | null;
}

const compare: Record<MetricComparison, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
};

export function judgeMetricThreshold(rule: RuleOf<'metric-threshold'>, reading: MetricReading): RuleResult {
  const dims = Object.entries(rule.dimensions ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const minutes = rule.windowMinutes ?? 10;
  const question = `Is ${rule.statistic} of ${rule.namespace} ${rule.metricName}${dims ? ` {${dims}}` : ''} over the last ${minutes} minutes ${rule.comparison} ${rule.threshold}?`;
  if (reading.error) return { question, value: `GetMetricData failed: ${reading.error}`, passed: false };
  if (reading.value === null)
    return { question, value: `no datapoints in the last ${minutes} minutes`, passed: false };
  return {
    question,
    value: `${Math.round(reading.value * 1000) / 1000}`,
    passed: compare[rule.comparison](reading.value, rule.threshold),
  };
}

export interface LintReading {
  from: string | null;
  to: string | null;
  revisions: string[];
  findings: Array<{
    ruleId: string;
    severity: LintSeverity;
    revision: string;
    line?: number;
    message: string;
  }>;
  error: string | null;
}

const severityRank: Record<LintSeverity, number> = { info: 0, warning: 1, error: 2 };

export function judgeMigrationLint(rule: RuleOf<'migration-lint'>, reading: LintReading): RuleResult {
  const failOn = rule.failOn ?? 'error';
  const question = `Does Flightdeck's lint find nothing at or above ${failOn} in the revisions this release applies (${reading.from ?? 'base'} → ${reading.to ?? 'head'})?`;
  if (reading.error) return { question, value: `lint could not run: ${reading.error}`, passed: false };
  if (reading.revisions.length === 0) return { question, value: 'no revisions to apply', passed: true };
  const blocking = reading.findings.filter((f) => severityRank[f.severity] >= severityRank[failOn]);
  // What holds the item back is listed in full; the rest is counted, by rule, for the Migrations page to detail.
  const listed = blocking
    .map((f) => `${f.severity} ${f.ruleId} in ${f.revision}${f.line ? `:${f.line}` : ''}: ${f.message}`)
    .join('; ');
  const below = new Map<string, number>();
  for (const f of reading.findings)
    if (!blocking.includes(f))
      below.set(`${f.severity} ${f.ruleId}`, (below.get(`${f.severity} ${f.ruleId}`) ?? 0) + 1);
  const counted = [...below].map(([rule, n]) => `${n} × ${rule}`).join(', ');
  return {
    question,
    value:
      reading.findings.length === 0
        ? `${countOf(reading.revisions.length, 'revision')}, no findings`
        : `${countOf(reading.revisions.length, 'revision')}, ${blocking.length} at or above ${failOn}${listed ? `: ${listed}` : ''}${counted ? `${listed ? '; ' : ''}${listed ? '' : '; '}below it: ${counted}` : ''}`,
    passed: blocking.length === 0,
  };
}
