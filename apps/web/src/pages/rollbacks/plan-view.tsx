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
      {plan.warnings && plan.warnings.length > 0 && (
        <ul className="plain" data-testid="plan-warnings">
          {plan.warnings.map((w) => (
            <li key={w} className="status status--warn">
              {w}
            </li>
          ))}
        </ul>
      )}
      <h3>Order</h3>
      <p data-testid="plan-order">
        {orderText(plan)} <span className="muted">{plan.order.reasons.join(' ')}</span>
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

/** Which goes back first, said for the kind of rollback this plan is. */
function orderText(plan: RollbackPlan): string {
  const databaseFirst = plan.order.order !== 'alias-alone';
  switch (plan.kind) {
    case 'rds':
      return databaseFirst
        ? 'The database goes back first, here: the current code needs tables the baseline code does not, so restore and cut over, then roll the aliases back.'
        : 'The database goes back last: roll the aliases back first (the baseline code runs on the current schema), then restore and cut over.';
    case 'lambda':
      return databaseFirst
        ? 'The database goes back first: the baseline code cannot run on the current schema.'
        : 'The alias can go back alone: the baseline code runs on the current schema, and the database stays.';
    case 'frontend':
      return 'The frontend can go back alone.';
  }
}
