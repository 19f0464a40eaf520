import {
  type DefaultError,
  type MutateOptions,
  type UseMutationOptions,
  type UseMutationResult,
  useMutation,
} from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { createIntent, type Intent, withIntent } from './api-client';

/** Variables as text, to tell "the same submit again" from another one. */
export function fingerprintOf(variables: unknown): string {
  try {
    return JSON.stringify(variables) ?? 'undefined';
  } catch {
    // Not serialisable: never taken for another submit.
    return `unique:${Math.random()}`;
  }
}

export interface ApiMutationOptions<TData, TError, TVariables, TContext>
  extends UseMutationOptions<TData, TError, TVariables, TContext> {
  /**
   * What one lock covers. By default the whole hook: while a submit is in flight, another is ignored. A hook
   * that serves a list (board cards, rows with a switch) locks per item instead, e.g. `({ lead }) => lead.id`.
   */
  lockPer?: (variables: TVariables) => string;
}

/**
 * useMutation for every write the app makes (lint enforces it), with the two guards against doing a thing twice:
 *
 * - A submit is locked while in flight: another submit (a double tap, Enter twice) gets the running one's promise
 *   instead of sending a request. Buttons show `isPending` as loading.
 * - One intent, one Idempotency-Key: a submit is one intent until it succeeds, identified by its variables, and
 *   each request it sends keeps its key (lib/api-client.ts). So a retry (TanStack's, after a network error, also
 *   once back online) or the same submit again after a lost answer is done once by the API. The request must
 *   then be the same: compute what it sends (a due time) when submitting, into the variables.
 */
export function useApiMutation<TData = unknown, TError = DefaultError, TVariables = void, TContext = unknown>(
  options: ApiMutationOptions<TData, TError, TVariables, TContext>,
): UseMutationResult<TData, TError, TVariables, TContext> {
  const [intents] = useState(() => new Map<string, Intent>());
  const running = useRef(new Map<string, Promise<TData>>());
  const { mutationFn, onSuccess, lockPer, ...rest } = options;
  const lockOf = useRef(lockPer ?? (() => '')).current;
  const result = useMutation<TData, TError, TVariables, TContext>({
    ...rest,
    ...(mutationFn && {
      mutationFn: (variables, context) => {
        const fingerprint = fingerprintOf(variables);
        let intent = intents.get(fingerprint);
        if (!intent) {
          intent = createIntent();
          intents.set(fingerprint, intent);
        }
        return withIntent(intent, () => mutationFn(variables, context));
      },
    }),
    onSuccess: (data, variables, ...more) => {
      // Done: the same variables submitted again are a new intent (a second note that says the same).
      intents.delete(fingerprintOf(variables));
      return onSuccess?.(data, variables, ...more);
    },
  });

  const start = result.mutateAsync;
  const mutateAsync = useCallback(
    (variables: TVariables, callbacks?: MutateOptions<TData, TError, TVariables, TContext>) => {
      const lock = lockOf(variables);
      const inFlight = running.current.get(lock);
      if (inFlight) return inFlight;
      const promise = start(variables, callbacks);
      running.current.set(lock, promise);
      const release = () => {
        if (running.current.get(lock) === promise) running.current.delete(lock);
      };
      promise.then(release, release);
      return promise;
    },
    [start, lockOf],
  );
  const mutate = useCallback(
    (variables: TVariables, callbacks?: MutateOptions<TData, TError, TVariables, TContext>) => {
      mutateAsync(variables, callbacks).catch(() => undefined);
    },
    [mutateAsync],
  );
  return { ...result, mutate, mutateAsync } as UseMutationResult<TData, TError, TVariables, TContext>;
}
