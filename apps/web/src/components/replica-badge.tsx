import { useQuery } from '@tanstack/react-query';
import { replicaInfoQuery } from '../api/replica';

/** Which replica answered this page and which one polls AWS for all of them. */
export function ReplicaBadge() {
  const info = useQuery(replicaInfoQuery()).data;
  if (!info) return null;
  const title =
    info.store === 'embedded'
      ? 'One process on the embedded store: it polls and answers'
      : `Replica ${info.replicaId} answered; ${info.leaderId ?? 'no replica yet'} leads the collectors${
          info.epoch ? ` (epoch ${info.epoch})` : ''
        }`;
  return (
    <span className="replica" data-testid="replica" title={title}>
      replica <span data-testid="replica-id">{info.replicaId}</span>
      {info.leading ? (
        <> · leads</>
      ) : (
        <>
          {' '}
          · leader <span data-testid="replica-leader">{info.leaderId ?? 'none'}</span>
        </>
      )}
    </span>
  );
}
