import { useState } from 'react';
import type { DeployDetail, DeployTransition } from '@flightdeck/contracts';
import { useDeployActions, type DeployTransitionInput } from '../../api/deploys';

type Role = 'viewer' | 'lead' | 'ops' | null;

/** Who may ask for each transition (the server decides; the page only offers what it would allow). */
const mayAsk: Record<DeployTransition, (role: Role) => boolean> = {
  'migration-started': (r) => r === 'ops',
  'migration-finished': (r) => r === 'ops',
  released: (r) => r === 'ops',
  finish: (r) => r === 'lead' || r === 'ops',
  cancel: (r) => r === 'ops',
};

const labels: Record<DeployTransition, string> = {
  'migration-started': 'Migration started',
  'migration-finished': 'Migration finished',
  released: 'Released',
  finish: 'Finish…',
  cancel: 'Cancel deploy…',
};

/**
 * The transitions that apply to the deploy's phase now, for the roles that may ask for them. Finish
 * needs a note and cancel a reason; the server's refusal (another person moved it first) is shown.
 */
export function DeployActions({ detail, role }: { detail: DeployDetail; role: Role }) {
  const { transition } = useDeployActions();
  const [asking, setAsking] = useState<'finish' | 'cancel' | null>(null);
  const [text, setText] = useState('');
  const deployId = detail.deploy.id;
  const offered = detail.transitions.filter((t) => mayAsk[t](role));
  if (offered.length === 0) return null;
  const send = (input: DeployTransitionInput) =>
    transition.mutate(input, {
      onSuccess: () => {
        setAsking(null);
        setText('');
      },
    });
  const direct: Partial<Record<DeployTransition, DeployTransitionInput>> = {
    'migration-started': { deployId, transition: 'migration', state: 'started' },
    'migration-finished': { deployId, transition: 'migration', state: 'finished' },
    released: { deployId, transition: 'released' },
  };
  return (
    <section className="card" aria-label="Deploy actions" data-testid="deploy-actions">
      <div className="toolbar">
        {offered.map((t) => (
          <button
            key={t}
            type="button"
            className={t === 'cancel' ? 'danger' : undefined}
            data-testid={`transition-${t}`}
            disabled={transition.isPending}
            onClick={() => {
              const input = direct[t];
              if (input) send(input);
              else setAsking(t as 'finish' | 'cancel');
            }}
          >
            {labels[t]}
          </button>
        ))}
      </div>
      {asking && (
        <form
          className="sign-off"
          onSubmit={(event) => {
            event.preventDefault();
            send(
              asking === 'finish'
                ? { deployId, transition: 'finish', note: text }
                : { deployId, transition: 'cancel', reason: text },
            );
          }}
        >
          <input
            data-testid={`${asking}-text`}
            aria-label={asking === 'finish' ? 'Why the watch closes now' : 'Why the deploy is cancelled'}
            placeholder={asking === 'finish' ? 'Note (required)' : 'Reason (required)'}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />{' '}
          <button
            type="submit"
            className={asking === 'cancel' ? 'danger' : undefined}
            data-testid={`${asking}-confirm`}
            disabled={text.trim() === '' || transition.isPending}
          >
            {asking === 'finish' ? 'Finish the deploy' : 'Cancel the deploy'}
          </button>{' '}
          <button type="button" className="link" onClick={() => setAsking(null)}>
            back
          </button>
        </form>
      )}
      {transition.isError && (
        <p className="status status--bad small" role="alert" data-testid="transition-error">
          {transition.error.message}
        </p>
      )}
    </section>
  );
}
