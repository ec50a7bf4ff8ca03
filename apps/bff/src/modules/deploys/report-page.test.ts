// The printable report: the same Markdown, rendered by a real Markdown renderer, safe for what people typed.
import { describe, expect, it } from 'vitest';
import { reportPage } from './report-page.js';

const markdown = `# Deployment report: production (d1)

- Verdict (Go to close?): **NO-GO**
- Notes: <script>alert("x")</script> and <img src=x onerror=alert(1)>

## Verification evidence

| Phase | Item | State |
|---|---|---|
| post-deploy | Error rates \\| at zero | ✅ pass |
| post-deploy | Notes | ❌ fail |

## What happened

See [the runbook](https://example.org/runbook) and [this](javascript:alert(1)).
`;

describe('the printable report page', () => {
  const page = reportPage(markdown);

  it('has real tables, headings and emphasis, not Markdown in a <pre>', () => {
    expect(page).not.toContain('<pre>');
    expect(page).toContain('<table>');
    expect(page).toMatch(/<th>Phase<\/th>/);
    expect(page).toContain('<td>Error rates | at zero</td>');
    expect(page).toContain('<strong>NO-GO</strong>');
    expect(page).toContain('<h2>What happened</h2>');
  });

  it('one section per second-level heading, each starting a printed page', () => {
    expect(page.match(/<section>/g)).toHaveLength(3);
    expect(page).toContain('section+section{break-before:page}');
  });

  it('shows typed HTML as text and keeps only plain links', () => {
    expect(page).not.toMatch(/<script>|<img/);
    expect(page).toContain('&lt;script&gt;alert("x")&lt;/script&gt;');
    expect(page).toContain('<a href="https://example.org/runbook">the runbook</a>');
    expect(page).not.toContain('javascript:');
  });

  it('keeps the words beside the emoji and drops the emoji', () => {
    expect(page).toContain('<td>pass</td>');
    expect(page).toContain('<td>fail</td>');
    expect(page).not.toMatch(/✅|❌/u);
  });
});
