import type { LogTailState } from '../../api/log-tail';

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** Connection, freshness and — when tails outnumber the call budget — that they share it. */
export function TailStatusLine({ tail }: { tail: LogTailState }) {
  const { status, connection } = tail;
  const parts: string[] = [
    connection === 'live' ? 'live' : connection === 'refused' ? 'refused' : `${connection}…`,
  ];
  if (status) {
    const every = status.effectivePollMs ?? status.pollIntervalMs;
    parts.push(`polling every ${seconds(every)}`);
    if (status.budget.shared) {
      parts.push(
        `${status.budget.activeTails} tails share ${status.budget.callsPerSecond} FilterLogEvents calls/s, so each polls less often than every ${seconds(status.pollIntervalMs)}`,
      );
    }
    if (status.error) parts.push(`last poll failed: ${status.error.code}`);
  }
  return (
    <span
      className={`muted small tail-status${status?.error ? ' warn' : ''}`}
      data-testid="tail-status"
      data-connection={connection}
      data-shared={status?.budget.shared ? 'true' : 'false'}
    >
      {parts.join(' · ')}
    </span>
  );
}
