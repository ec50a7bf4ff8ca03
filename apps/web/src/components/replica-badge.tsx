import type { ReplicaInfo } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';

/** Re-read now and then: leadership moves only when a replica dies or loses its store connection. */
function useReplicaInfo() {
  return useQuery({
    queryKey: ['replica'],
    queryFn: () => getJson<ReplicaInfo>('/api/v1/replica'),
    refetchInterval: 15_000,
  });
}

/** Which replica answered this page and which one polls AWS for all of them. */
export function ReplicaBadge() {
  const info = useReplicaInfo().data;
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
