import { useQuery } from '@tanstack/react-query';
import type { Delivery } from '@flightdeck/contracts';
import { deliveriesQuery, useResendDelivery } from '../../api/notifications';
import { useSession } from '../../api/session';

const stateClass = { sent: 'ok', pending: 'warn', failed: 'bad' } as const;

/** Webhook deliveries: what was told to whom, each attempt and its answer; resend a delivery. */
export function NotificationsPage() {
  const role = useSession().data?.user?.role;
  const allowed = role === 'ops';
  const deliveries = useQuery(deliveriesQuery(allowed));
  if (!allowed)
    return (
      <p className="muted" data-testid="notifications-forbidden">
        Webhook deliveries are for ops; you are {role ?? 'not signed in'}.
      </p>
    );
  const data = deliveries.data;
  return (
    <section className="card" aria-label="Notifications" data-testid="notifications">
      <header className="card__header">
        <h2>Notifications</h2>
        <span className="card__freshness">webhooks told of releases and rollbacks</span>
      </header>
      {deliveries.isError && (
        <p className="status status--bad" role="alert">
          {deliveries.error.message}
        </p>
      )}
      {data && data.webhooks.length === 0 && (
        <p className="muted" data-testid="no-webhooks">
          No webhook is configured: add <code>notifications.webhooks</code> to the config (name, url, events,
          format slack or json, secretEnv to sign).
        </p>
      )}
      {data && data.webhooks.length > 0 && (
        <ul className="plain" data-testid="webhooks">
          {data.webhooks.map((w) => (
            <li key={w.name}>
              <strong>{w.name}</strong> <span className="mono">{w.target}</span> · {w.format} ·{' '}
              {w.events.join(', ')}
            </li>
          ))}
        </ul>
      )}
      <div className="table-scroll">
        <table className="table" data-testid="deliveries">
          <thead>
            <tr>
              <th>Created (UTC)</th>
              <th>Event</th>
              <th>Webhook</th>
              <th>State</th>
              <th>Attempts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data?.deliveries ?? []).map((d) => (
              <DeliveryRow key={d.id} delivery={d} />
            ))}
          </tbody>
        </table>
      </div>
      {data && data.deliveries.length === 0 && <p className="muted">Nothing sent yet.</p>}
    </section>
  );
}

function DeliveryRow({ delivery }: { delivery: Delivery }) {
  const resend = useResendDelivery();
  return (
    <tr data-testid="delivery" data-state={delivery.state} data-webhook={delivery.webhook}>
      <td className="mono">{delivery.createdAt.slice(0, 19).replace('T', ' ')}</td>
      <td>
        <span className="mono">{delivery.type}</span>
        <br />
        <span className="muted small">{delivery.summary}</span>
      </td>
      <td>
        {delivery.webhook}
        <br />
        <span className="muted small mono">{delivery.target}</span>
      </td>
      <td className={stateClass[delivery.state]}>
        {delivery.state}
        {delivery.nextAttemptAt && delivery.state === 'pending' && (
          <span className="muted small"> · next {delivery.nextAttemptAt.slice(11, 19)}</span>
        )}
      </td>
      <td>
        <ol className="attempts" data-testid="delivery-attempts">
          {delivery.attempts.map((a) => (
            <li key={a.attempt}>
              {a.status ?? 'no answer'} in {a.durationMs} ms{a.error ? ` — ${a.error}` : ''}
            </li>
          ))}
        </ol>
      </td>
      <td>
        <button
          type="button"
          disabled={resend.isPending}
          onClick={() => resend.mutate(delivery.id)}
          data-testid="resend-delivery"
        >
          Resend
        </button>
        {resend.isError && <span className="bad small"> {resend.error.message}</span>}
      </td>
    </tr>
  );
}
