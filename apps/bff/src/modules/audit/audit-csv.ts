import type { AuditEntry } from '@flightdeck/contracts';

// The words first (what a person reads), the method and route and the wall clock after, for machines.
const columns = [
  'at',
  'actor',
  'role',
  'summary',
  'target',
  'result',
  'action',
  'wallAt',
  'correlationId',
  'parameters',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsv(entries: AuditEntry[]): string {
  const lines = [columns.join(',')];
  for (const entry of entries) lines.push(columns.map((c) => csvField(entry[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
