import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PickDemoUser } from '@flightdeck/contracts';
import { declareChange, everyQuery } from './change';

/** Sandbox mode: become another demo user; every query is refetched as them. */
export const signInAsDemoUser = declareChange<{ ok: true }, string>({
  method: 'POST',
  path: () => '/api/v1/session/demo-user',
  body: (user): PickDemoUser => ({ user }),
  invalidates: () => [everyQuery],
});

export function usePickDemoUser() {
  return useMutation(signInAsDemoUser(useQueryClient()));
}
