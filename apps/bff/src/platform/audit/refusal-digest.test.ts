import { describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from './audit-log.js';
import { RefusalDigest, type Refusal } from './refusal-digest.js';

const refusal = (over: Partial<Refusal> = {}): Refusal => ({
  actor: 'vera@example.com',
  role: 'viewer',
  action: 'POST /api/v1/rollbacks/preview',
  result: '403 Forbidden',
  correlationId: 'req-1',
  ...over,
});

describe('RefusalDigest', () => {
  it('writes the first refusal of a minute, counts the rest, and writes one summary when the minute ends', async () => {
    vi.useFakeTimers();
    try {
      const written: AuditRecord[] = [];
      const digest = new RefusalDigest(
        async (row) => void written.push(row),
        60_000,
        () => Date.now(),
      );
      expect(digest.admit(refusal())).toBe(true);
      for (let i = 0; i < 29; i++) expect(digest.admit(refusal())).toBe(false);
      for (let i = 0; i < 970; i++) expect(digest.admit(refusal({ result: '429 RateLimited' }))).toBe(false);
      // Another change of the same person, and another person: windows of their own.
      expect(digest.admit(refusal({ action: 'POST /api/v1/rollbacks' }))).toBe(true);
      expect(digest.admit(refusal({ actor: 'olu@example.com' }))).toBe(true);
      expect(written).toEqual([]);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({
        actor: 'vera@example.com',
        action: 'POST /api/v1/rollbacks/preview',
        result: '999 more refused',
        parameters: { refusedAfterFirst: 999, results: { '403 Forbidden': 29, '429 RateLimited': 970 } },
      });
      // The next minute starts afresh.
      expect(digest.admit(refusal())).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes the open summaries when Flightdeck stops', async () => {
    const written: AuditRecord[] = [];
    const digest = new RefusalDigest(async (row) => void written.push(row));
    digest.admit(refusal());
    digest.admit(refusal());
    digest.admit(refusal({ actor: 'olu@example.com' }));
    await digest.closeAll();
    expect(written.map((r) => [r.actor, r.result])).toEqual([['vera@example.com', '1 more refused']]);
  });
});
