import { describe, expect, it } from 'vitest';
import { firstPageBudgetBytes, firstPageScripts } from '../support/first-page.js';

describe('the built SPA’s first page', () => {
  it('needs at most 150 KB of gzipped JavaScript, without the charts’ library', () => {
    const scripts = firstPageScripts();
    const total = scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
    const listing = scripts.map((s) => `${s.file} ${(s.gzipBytes / 1024).toFixed(1)} KB`).join(', ');
    expect(total, `first page: ${listing}`).toBeLessThanOrEqual(firstPageBudgetBytes);
    // Recharts lives in the chart chunks, which the first page must not wait for.
    expect(scripts.some((s) => /CartesianChart|function-sparkline|metrics-page/.test(s.file))).toBe(false);
  });
});
