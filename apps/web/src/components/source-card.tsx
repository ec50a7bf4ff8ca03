import type { ReactNode } from 'react';
import type { SourceStateOf } from '@flightdeck/contracts';
import { formatAge, freshnessOf } from '../format';
import { useNow } from './use-now';

interface SourceCardProps<T> {
  title: string;
  testId: string;
  state: SourceStateOf<T>;
  /** Server clock minus browser clock, so ages are right on a skewed laptop. */
  clockSkewMs: number;
  children: (data: T) => ReactNode;
}

/**
 * A panel that says how fresh it is. When its source fails it keeps the last good data,
 * its age and the error, and no other panel is affected.
 */
export function SourceCard<T>({ title, testId, state, clockSkewMs, children }: SourceCardProps<T>) {
  const now = useNow() + clockSkewMs;
  const freshness = freshnessOf(state, now);
  const age = state.fetchedAt ? formatAge(now - Date.parse(state.fetchedAt)) : null;
  return (
    <section
      className={`card card--${freshness}`}
      data-testid={testId}
      data-freshness={freshness}
      aria-label={title}
    >
      <header className="card__header">
        <h2>{title}</h2>
        <span className="card__freshness" data-testid={`${testId}-freshness`}>
          {freshness === 'waiting' && 'waiting for first answer…'}
          {freshness === 'fresh' && `updated ${age} ago`}
          {freshness === 'stale' && `stale: last data ${age} ago`}
          {freshness === 'failing' && (age ? `showing data from ${age} ago` : 'no data yet')}
        </span>
      </header>
      {state.error && (
        <p className="card__error" role="alert" data-testid={`${testId}-error`}>
          <strong>{state.error.code}</strong>: {state.error.message}
          <span className="muted"> (last attempt {formatAge(now - Date.parse(state.error.at))} ago)</span>
        </p>
      )}
      {state.data !== null ? children(state.data) : !state.error && <p className="muted">Loading…</p>}
    </section>
  );
}
