import type { RollbackPlan } from '@flightdeck/contracts';

/** The exact plan: current -> target, the API calls with their parameters, duration, and the safe order. */
export function PlanView({ plan }: { plan: RollbackPlan }) {
  return (
    <div className="plan">
      <p>
        <strong data-testid="plan-change">
          {plan.current} → {plan.desired}
        </strong>{' '}
        <span className="muted">({plan.expectedDuration})</span>
      </p>
      <h3>Calls</h3>
      {plan.calls.map((call, i) => (
        <pre key={i} className="plan__call" data-testid="plan-call">
          {`${call.service} ${call.operation}\n${JSON.stringify(call.parameters, null, 2)}`}
        </pre>
      ))}
      <h3>Order</h3>
      <p data-testid="plan-order">
        {plan.order.order === 'alias-alone'
          ? 'The alias can go back alone.'
          : 'The database goes back first.'}{' '}
        <span className="muted">{plan.order.reasons.join(' ')}</span>
      </p>
      {plan.order.downgrades.length > 0 && (
        <details>
          <summary>What each downgrade() would do</summary>
          <ul className="plain">
            {plan.order.downgrades.map((d) => (
              <li key={d.revision}>
                <code>{d.revision}</code>: {d.effects.join('; ') || 'nothing'}
                {d.losesData.length > 0 && <span className="warn"> loses data</span>}
                {d.doesNothing && <span className="warn"> does nothing</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
