import type { ChecklistRuleType, ChecklistTemplateItem } from './checklist-template.js';

type ParamSpec =
  | { kind: 'number'; required?: boolean; min?: number; integer?: boolean }
  | { kind: 'string'; required?: boolean }
  | { kind: 'strings'; required?: boolean }
  | { kind: 'choice'; required?: boolean; values: readonly string[] }
  | { kind: 'scalar'; required?: boolean }
  | { kind: 'dimensions'; required?: boolean };

/** Every rule type and its parameters: what `deploys.checklist[].rule` may say. */
export const checklistRuleParameters: Record<ChecklistRuleType, Record<string, ParamSpec>> = {
  'snapshot-available': { maxAgeHours: { kind: 'number', min: 0 } },
  'aliases-published': {},
  'database-at-head': {},
  'no-schema-drift': {},
  'error-rate-zero': { windowMinutes: { kind: 'number', min: 1, integer: true } },
  'p99-within-baseline': { tolerancePercent: { kind: 'number', min: 0 } },
  'no-schema-errors-since-migration': {},
  'health-url-ok': { url: { kind: 'string' } },
  'migration-lint': { failOn: { kind: 'choice', values: ['error', 'warning', 'info'] } },
  'no-lock-blockers': { minTransactionSeconds: { kind: 'number', min: 0 } },
  'http-check': {
    urls: { kind: 'strings', required: true },
    status: { kind: 'number', min: 100, integer: true },
    bodyContains: { kind: 'string' },
    timeoutMs: { kind: 'number', min: 1, integer: true },
  },
  'sql-check': {
    sql: { kind: 'string', required: true },
    expect: { kind: 'scalar', required: true },
    timeoutMs: { kind: 'number', min: 1, integer: true },
  },
  'cloudwatch-alarm': { alarmNames: { kind: 'strings', required: true } },
  'metric-threshold': {
    namespace: { kind: 'string', required: true },
    metricName: { kind: 'string', required: true },
    dimensions: { kind: 'dimensions' },
    statistic: { kind: 'string', required: true },
    windowMinutes: { kind: 'number', min: 1, integer: true },
    comparison: { kind: 'choice', required: true, values: ['<', '<=', '>', '>=', '=='] },
    threshold: { kind: 'number', required: true },
  },
};

export const checklistRuleTypes = Object.keys(checklistRuleParameters) as ChecklistRuleType[];
const checklistPhases = ['pre-deploy', 'during', 'post-deploy', 'monitoring'];
const itemKeys = ['id', 'phase', 'title', 'rule', 'signOffs', 'description'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

function paramProblem(key: string, spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${key}: must be a number`;
      if (spec.integer && !Number.isInteger(value)) return `${key}: must be a whole number`;
      if (spec.min !== undefined && value < spec.min) return `${key}: must be at least ${spec.min}`;
      return null;
    case 'string':
      return typeof value === 'string' && value.trim() !== '' ? null : `${key}: must be a non-empty string`;
    case 'strings':
      return Array.isArray(value) &&
        value.length > 0 &&
        value.every((v) => typeof v === 'string' && v.trim() !== '')
        ? null
        : `${key}: must be a non-empty list of non-empty strings`;
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value)
        ? null
        : `${key}: must be one of ${quoted(spec.values)}`;
    case 'scalar':
      return ['string', 'number', 'boolean'].includes(typeof value)
        ? null
        : `${key}: must be a string, a number or a boolean (the first column of the first row)`;
    case 'dimensions':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string')
        ? null
        : `${key}: must be an object of dimension names to string values`;
  }
}

/**
 * What is wrong with a checklist from the config, one line per mistake naming the key (and, for a
 * choice, what is allowed); empty when it is a checklist Flightdeck can run.
 */
export function checklistConfigProblems(value: unknown, key = 'deploys.checklist'): string[] {
  if (!Array.isArray(value)) return [`${key}: must be a list of checklist items`];
  if (value.length === 0) return [`${key}: must hold at least one item`];
  const problems: string[] = [];
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const at = `${key}.${index}`;
    if (!isObject(item)) {
      problems.push(`${at}: must be an object {id, phase, title, rule?, signOffs?, description?}`);
      return;
    }
    for (const extra of Object.keys(item).filter((k) => !itemKeys.includes(k)))
      problems.push(`unknown key "${at}.${extra}" (an item has ${itemKeys.join(', ')})`);
    if (typeof item.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(item.id))
      problems.push(`${at}.id: must be a name of letters, digits, dots, dashes or underscores`);
    else if (seen.has(item.id)) problems.push(`${at}.id: "${item.id}" is used twice`);
    else if (/^watch-/.test(item.id))
      problems.push(`${at}.id: "${item.id}": ids starting with watch- are the watch checkpoints'`);
    else seen.add(item.id);
    if (typeof item.phase !== 'string' || !checklistPhases.includes(item.phase))
      problems.push(`${at}.phase: must be one of ${quoted(checklistPhases)}`);
    if (typeof item.title !== 'string' || item.title.trim() === '')
      problems.push(`${at}.title: must be a non-empty string`);
    if (item.description !== undefined && typeof item.description !== 'string')
      problems.push(`${at}.description: must be a string`);
    if (item.signOffs !== undefined) {
      if (item.rule !== undefined)
        problems.push(`${at}.signOffs: only a manual item (one without a rule) is signed off`);
      else if (typeof item.signOffs !== 'number' || !Number.isInteger(item.signOffs) || item.signOffs < 1)
        problems.push(`${at}.signOffs: must be a whole number of at least 1`);
    }
    if (item.rule !== undefined) problems.push(...ruleProblems(item.rule, `${at}.rule`));
  });
  return problems;
}

function ruleProblems(rule: unknown, at: string): string[] {
  if (!isObject(rule)) return [`${at}: must be an object {type, ...parameters}`];
  const type = rule.type;
  if (typeof type !== 'string' || !(type in checklistRuleParameters))
    return [`${at}.type: must be one of ${quoted(checklistRuleTypes)}`];
  const specs = checklistRuleParameters[type as ChecklistRuleType];
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (rule[name] === undefined) {
      if (spec.required) problems.push(`${at}.${name}: required by rule type ${type}`);
      continue;
    }
    const problem = paramProblem(`${at}.${name}`, spec, rule[name]);
    if (problem) problems.push(problem);
  }
  for (const extra of Object.keys(rule).filter((k) => k !== 'type' && !(k in specs)))
    problems.push(
      `unknown key "${at}.${extra}" (rule type ${type} takes ${Object.keys(specs).join(', ') || 'no parameters'})`,
    );
  return problems;
}

/** A checklist from the config, once `checklistConfigProblems` found nothing wrong with it. */
export function asChecklistTemplate(value: unknown): ChecklistTemplateItem[] {
  const problems = checklistConfigProblems(value);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return value as ChecklistTemplateItem[];
}
