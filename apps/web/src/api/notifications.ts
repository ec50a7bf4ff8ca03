import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeliveryList } from '@flightdeck/contracts';
import { declareChange } from './change';
import { getJson } from './client';

export const notificationKeys = {
  all: ['notifications'] as const,
  deliveries: () => [...notificationKeys.all, 'deliveries'] as const,
};

/** The configured webhooks and the latest deliveries with their attempts; ops only. */
export const deliveriesQuery = (enabled: boolean) =>
  queryOptions({
    queryKey: notificationKeys.deliveries(),
    queryFn: () => getJson<DeliveryList>('/api/v1/notifications'),
    enabled,
    refetchInterval: 3_000,
  });

/** The same event to the same webhook again, as a new delivery. */
export const resendDelivery = declareChange<{ id: string }, string>({
  method: 'POST',
  path: (id) => `/api/v1/notifications/${encodeURIComponent(id)}/resend`,
  body: () => ({}),
  invalidates: () => [notificationKeys.deliveries()],
});

export function useResendDelivery() {
  return useMutation(resendDelivery(useQueryClient()));
}
