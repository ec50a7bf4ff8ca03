import type { ChecklistItem, ChecklistPhase } from '@flightdeck/contracts';
import { formatAge } from '../../format';
import { SignOffControls } from './sign-off-controls';

const phases: Array<{ phase: ChecklistPhase; title: string }> = [
  { phase: 'pre-deploy', title: 'Pre-deploy' },
  { phase: 'during', title: 'During the deploy' },
  { phase: 'post-deploy', title: 'Post-deploy' },
  { phase: 'monitoring', title: 'Monitoring (24 hours)' },
];

const stateTone = { pass: 'ok', 'signed-off': 'ok', fail: 'bad', stale: 'warn', pending: 'muted' } as const;
const stateMark = { pass: '✓', 'signed-off': '✓', fail: '✕', stale: '◷', pending: '○' } as const;

/** The checklist, phase by phase; leads get sign-off and revoke on the manual items. */
export function ChecklistView({
  deployId,
  items,
  canSignOff,
}: {
  deployId: string;
  items: ChecklistItem[];
  canSignOff: boolean;
}) {
  return (
    <>
      {phases.map(({ phase, title }) => {
        const inPhase = items.filter((i) => i.phase === phase);
        if (inPhase.length === 0) return null;
        return (
          <section key={phase} className="card" aria-label={title} data-testid={`phase-${phase}`}>
            <header className="card__header">
              <h2>{title}</h2>
              <span className="card__freshness">
                {inPhase.filter((i) => i.state === 'pass' || i.state === 'signed-off').length} of{' '}
                {inPhase.length} done
              </span>
            </header>
            <ul className="checklist">
              {inPhase.map((item) => (
                <ChecklistRow key={item.id} deployId={deployId} item={item} canSignOff={canSignOff} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

function ChecklistRow({
  deployId,
  item,
  canSignOff,
}: {
  deployId: string;
  item: ChecklistItem;
  canSignOff: boolean;
}) {
  return (
    <li className={`checklist__item checklist__item--${item.state}`} data-testid={`item-${item.id}`}>
      <span className={`checklist__state ${stateTone[item.state]}`} data-testid="item-state">
        {stateMark[item.state]} {item.state}
      </span>
      <div className="checklist__body">
        <div>
          <strong>{item.title}</strong>{' '}
          <span className="muted small">{item.kind === 'automatic' ? 'automatic' : 'sign-off'}</span>
        </div>
        {item.evidence ? (
          <div className="small" data-testid="item-evidence">
            <span className="muted">{item.evidence.question}</span>{' '}
            <span className={item.evidence.passed ? 'ok' : 'bad'}>{item.evidence.value}</span>{' '}
            <EvidenceAge item={item} />
          </div>
        ) : (
          // A sign-off says its own story on the line below.
          !item.signOff && (
            <div className="small muted" data-testid="item-reason">
              {item.reason}
            </div>
          )
        )}
        {item.signOff && <SignOffLine signOff={item.signOff} />}
        {/* Before its phase begins the server refuses a sign-off: the reason above says when it opens. */}
        {item.kind === 'manual' && canSignOff && item.judgement !== 'not-yet' && (
          <SignOffControls deployId={deployId} item={item} />
        )}
      </div>
    </li>
  );
}

/**
 * How old the data behind the evidence is (its source's fetch, not the evaluation), and the source's
 * error while it is failing: "data from 6 min ago — metrics source failing: …".
 */
function EvidenceAge({ item }: { item: ChecklistItem }) {
  const failing = item.evidence?.sourceError ?? null;
  const age = item.evidenceAgeSeconds === null ? null : formatAge(item.evidenceAgeSeconds * 1000);
  return (
    <span className={`muted ${item.state === 'stale' ? 'warn' : ''}`} data-testid="item-age">
      ({age === null ? '' : `data from ${age} ago`}
      {failing && (
        <span data-testid="item-source-error">
          {' '}
          — {failing.source} source failing: {failing.code}: {failing.message}
        </span>
      )}
      {item.state === 'stale' ? ', stale' : ''})
    </span>
  );
}

function SignOffLine({ signOff }: { signOff: NonNullable<ChecklistItem['signOff']> }) {
  const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return (
    <div className="small" data-testid="item-sign-off">
      Signed off by {signOff.by} at {at(signOff.at)}: “{signOff.comment}”
      {signOff.revokedAt && (
        <span className="warn">
          {' '}
          — revoked by {signOff.revokedBy} at {at(signOff.revokedAt)}: “{signOff.revokeReason}”
        </span>
      )}
    </div>
  );
}
