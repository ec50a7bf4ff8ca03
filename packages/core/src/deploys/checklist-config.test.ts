import { describe, expect, it } from 'vitest';
import { checklistConfigProblems } from './checklist-config.js';
import { defaultChecklistTemplate, storyChecklistTemplate } from './checklist-template.js';

describe('checklist config', () => {
  it('accepts the default checklist and a team’s own', () => {
    expect(checklistConfigProblems(defaultChecklistTemplate)).toEqual([]);
    expect(checklistConfigProblems(storyChecklistTemplate)).toEqual([]);
    // Outside the sandbox nothing speaks of the story unless the config does.
    expect(JSON.stringify(defaultChecklistTemplate)).not.toMatch(/notification|credmate|coordinator/i);
    expect(
      checklistConfigProblems([
        {
          id: 'prefs',
          phase: 'post-deploy',
          title: 'Preferences answer',
          rule: { type: 'http-check', urls: ['http://x/p'], bodyContains: 'ok' },
        },
        {
          id: 'tables',
          phase: 'during',
          title: 'Tables',
          rule: { type: 'sql-check', sql: 'select 3', expect: 3 },
        },
        {
          id: 'queue',
          phase: 'monitoring',
          title: 'Queue',
          rule: {
            type: 'metric-threshold',
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            statistic: 'Maximum',
            comparison: '<',
            threshold: 100,
          },
        },
        { id: 'qa', phase: 'post-deploy', title: 'QA', signOffs: 2 },
      ]),
    ).toEqual([]);
  });

  it('names the key of every mistake, and for a choice what is allowed', () => {
    const problems = checklistConfigProblems([
      { id: 'a', phase: 'pre-deploy', title: 'A', rule: { type: 'nope' } },
      { id: 'a', phase: 'later', title: 'B', rule: { type: 'http-check' } },
      { id: 'c', phase: 'during', title: 'C', rule: { type: 'migration-lint', failOn: 'fatal', extra: 1 } },
      { id: 'd', phase: 'during', title: 'D', signOffs: 0 },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /^deploys\.checklist\.0\.rule\.type: must be one of "snapshot-available", .*"metric-threshold"$/,
      ),
      'deploys.checklist.1.id: "a" is used twice',
      'deploys.checklist.1.phase: must be one of "pre-deploy", "during", "post-deploy", "monitoring"',
      'deploys.checklist.1.rule.urls: required by rule type http-check',
      'deploys.checklist.2.rule.failOn: must be one of "error", "warning", "info"',
      'unknown key "deploys.checklist.2.rule.extra" (rule type migration-lint takes failOn)',
      'deploys.checklist.3.signOffs: must be a whole number of at least 1',
    ]);
    expect(checklistConfigProblems([])).toEqual(['deploys.checklist: must hold at least one item']);
  });
});
