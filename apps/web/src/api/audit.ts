import { queryOptions } from '@tanstack/react-query';
import type { AuditList } from '@flightdeck/contracts';
import { getJson } from './client';

/** The audit page's filters: exact user, and the action's prefix (e.g. `rollbacks`). */
export interface AuditFilter {
  actor: string;
  action: string;
}

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilter) => [...auditKeys.all, 'list', filter] as const,
};

const searchOf = ({ actor, action }: AuditFilter) =>
  new URLSearchParams({ ...(actor ? { actor } : {}), ...(action ? { action } : {}) }).toString();

/** Who did what, newest first; leads and ops only. */
export const auditQuery = (filter: AuditFilter, enabled: boolean) =>
  queryOptions({
    queryKey: auditKeys.list(filter),
    queryFn: () => {
      const search = searchOf(filter);
      return getJson<AuditList>(`/api/v1/audit${search ? `?${search}` : ''}`);
    },
    enabled,
    refetchInterval: 10_000,
  });

/** The same rows as a file, with the same filters. */
export const auditExportUrl = (filter: AuditFilter, format: 'csv' | 'json') => {
  const search = searchOf(filter);
  return `/api/v1/audit?${search ? `${search}&` : ''}format=${format}`;
};
