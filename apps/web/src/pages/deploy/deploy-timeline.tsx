import type { DeployEvent } from '@flightdeck/contracts';
import { countOf } from '../../format';

const utc = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/** The record's events stand out by tone: what went wrong, what put it right, what changed. */
const tones: Record<string, string> = {
  'errors-started': 'tag--bad',
  'rollback-refused': 'tag--bad',
  'rollback-failed': 'tag--bad',
  'errors-stopped': 'tag--ok',
  'rollback-finished': 'tag--ok',
  'phase-rolled-back': 'tag--warn',
  'rollback-started': 'tag--warn',
  'rollback-verifying': 'tag--warn',
  'rollback-restored': 'tag--warn',
  'alias-changed': 'tag--warn',
  'verdict-changed': 'tag--warn',
};

/** Every change to the deploy, oldest first: what happened, when, detected or done by whom. */
export function DeployTimeline({ events }: { events: DeployEvent[] }) {
  return (
    <section className="card" aria-label="Timeline" data-testid="deploy-timeline">
      <header className="card__header">
        <h2>Timeline</h2>
        <span className="card__freshness">{countOf(events.length, 'event')}</span>
      </header>
      <ol className="deploy-timeline">
        {events.map((e, i) => (
          <li key={`${e.at}-${i}`} data-kind={e.kind}>
            <time className="mono small muted">{utc(e.at)}</time>{' '}
            <span className={`tag ${tones[e.kind] ?? ''}`}>{e.kind}</span> {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
