import { describe, expect, it } from 'vitest';
import { parseRevisionScript } from './parse-revision-script.js';

describe('parseRevisionScript', () => {
  it('reads the classic generated form with its docstring', () => {
    const { script, findings } = parseRevisionScript(
      'x.py',
      `"""create accounts

Revision ID: 0001
Revises:
Create Date: 2025-11-02 09:15:00.000000

"""
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None
`,
    );
    expect(findings).toEqual([]);
    expect(script).toEqual({
      file: 'x.py',
      revision: '0001',
      downRevisions: [],
      branchLabels: [],
      dependsOn: [],
      message: 'create accounts',
      createDate: '2025-11-02 09:15:00.000000',
    });
  });

  it('reads annotated assignments, Union types and tuples/lists for merges', () => {
    const { script } = parseRevisionScript(
      'm.py',
      `from typing import Sequence, Union
revision: str = "m1"
down_revision: Union[str, Sequence[str], None] = ("a", 'b')
branch_labels: Union[str, Sequence[str], None] = ["feature"]
depends_on: str | None = "other"
`,
    );
    expect(script).toMatchObject({
      revision: 'm1',
      downRevisions: ['a', 'b'],
      branchLabels: ['feature'],
      dependsOn: ['other'],
      message: null,
      createDate: null,
    });
  });

  it('takes the last assignment, like running the module would', () => {
    const { script } = parseRevisionScript(
      'r.py',
      `revision = "old"\nrevision = "new"\ndown_revision = None\n`,
    );
    expect(script?.revision).toBe('new');
  });

  it('ignores what downgrade() and upgrade() assign', () => {
    const { script } = parseRevisionScript(
      'r.py',
      `revision = "r1"\ndown_revision = "r0"\ndef upgrade():\n    revision = "nope"\n`,
    );
    expect(script?.revision).toBe('r1');
  });

  it('takes no message from a docstring that starts with the header fields', () => {
    const { script } = parseRevisionScript(
      'r.py',
      `"""\nRevision ID: r1\nRevises: r0\nCreate Date: 2026-01-01 00:00:00\n"""\nrevision = "r1"\ndown_revision = "r0"\n`,
    );
    expect(script?.message).toBeNull();
    expect(script?.createDate).toBe('2026-01-01 00:00:00');
  });

  it('reports a file without a revision, and one whose revision is computed', () => {
    const none = parseRevisionScript('helper.py', 'import sqlalchemy as sa\n');
    expect(none.script).toBeUndefined();
    expect(none.findings).toMatchObject([
      { ruleId: 'missing-revision-id', severity: 'error', file: 'helper.py' },
    ]);

    const computed = parseRevisionScript(
      'c.py',
      'import uuid\nrevision = uuid.uuid4().hex\ndown_revision = None\n',
    );
    expect(computed.script).toBeUndefined();
    expect(computed.findings[0]?.message).toContain('uuid.uuid4');
  });

  it('reports a syntax error with its line but still reads the identifiers', () => {
    const { script, findings } = parseRevisionScript(
      'b.py',
      `revision = '0002'\ndown_revision = '0001'\n\ndef upgrade(:\n    pass\n`,
    );
    expect(script?.revision).toBe('0002');
    expect(findings).toMatchObject([
      { ruleId: 'python-syntax-error', severity: 'error', file: 'b.py', line: 4 },
    ]);
  });

  it('reports down_revision values it cannot read without running code', () => {
    const { script, findings } = parseRevisionScript('d.py', `revision = 'x'\ndown_revision = compute()\n`);
    expect(script?.downRevisions).toEqual([]);
    expect(findings).toMatchObject([{ ruleId: 'unreadable-revision-value', file: 'd.py' }]);
  });
});
