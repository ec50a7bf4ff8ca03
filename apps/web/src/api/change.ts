import { mutationOptions, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { sendChange } from './client';
import { sessionQuery } from './session';

/** A key that every query key starts with: for a change after which nothing cached can be trusted. */
export const everyQuery: QueryKey = [];

/**
 * One change the SPA can ask of the BFF, declared beside the resource it changes: how it is sent,
 * which cached answers it makes stale, and, when the server answers with a resource's new state,
 * how that state is shown at once instead of after a refetch.
 */
export interface ChangeDeclaration<TAnswer, TInput> {
  method: 'POST' | 'DELETE';
  path: (input: TInput) => string;
  body?: (input: TInput) => unknown;
  /** Written into the cache before anything refetches. */
  showAnswer?: (queryClient: QueryClient, answer: TAnswer, input: TInput) => void;
  /** Every query key (or key prefix) whose cached answer the change makes out of date. */
  invalidates: (answer: TAnswer, input: TInput) => readonly QueryKey[];
}

/**
 * Turns a declaration into mutation options for one query client. The CSRF token is read from the
 * cached session when the change is sent, so a change made after switching demo users carries
 * the new person's token. The mutation stays pending until the invalidated queries on screen have
 * refetched, so what the page shows once it settles already includes the change.
 */
export function declareChange<TAnswer, TInput = void>(declaration: ChangeDeclaration<TAnswer, TInput>) {
  return (queryClient: QueryClient) =>
    mutationOptions<TAnswer, Error, TInput>({
      mutationFn: (input) => {
        const csrfToken = queryClient.getQueryData(sessionQuery().queryKey)?.csrfToken ?? '';
        return sendChange<TAnswer>(
          declaration.method,
          declaration.path(input),
          csrfToken,
          declaration.body?.(input),
        );
      },
      onSuccess: async (answer, input) => {
        declaration.showAnswer?.(queryClient, answer, input);
        await Promise.all(
          declaration
            .invalidates(answer, input)
            .map((queryKey) => queryClient.invalidateQueries({ queryKey })),
        );
      },
    });
}
