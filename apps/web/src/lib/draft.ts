import { useCallback, useState } from 'react';

/**
 * Half-typed work that survives a reload (a phone that drops the tab, a wrong swipe): kept in this browser's
 * localStorage per user and per thing (`note:<leadId>`, `quote:<leadId>`), removed once submitted. Only the
 * person who typed it sees it again; storage that is blocked or full just means no draft.
 */
const PREFIX = 'tm-draft';
const keyOf = (userId: string, name: string) => `${PREFIX}:${userId}:${name}`;

export function readDraft<T>(userId: string, name: string): T | null {
  try {
    const raw = localStorage.getItem(keyOf(userId, name));
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

/** Keeps `value`; an empty one (`isEmpty`) removes the draft instead. */
export function writeDraft<T>(userId: string, name: string, value: T, isEmpty = (v: T) => !v) {
  try {
    if (isEmpty(value)) localStorage.removeItem(keyOf(userId, name));
    else localStorage.setItem(keyOf(userId, name), JSON.stringify(value));
  } catch {
    // Blocked or full storage: the draft lives as long as the page.
  }
}

export const clearDraft = (userId: string, name: string) => writeDraft(userId, name, null);

/** useState whose value is also the draft: restored on mount, kept on every change, `clear` once submitted. */
export function useDraft(userId: string, name: string, initial: string) {
  const [value, setValue] = useState(() => readDraft<string>(userId, name) ?? initial);
  const set = useCallback(
    (next: string) => {
      setValue(next);
      writeDraft(userId, name, next);
    },
    [userId, name],
  );
  const clear = useCallback(() => {
    setValue(initial);
    clearDraft(userId, name);
  }, [userId, name, initial]);
  return [value, set, clear] as const;
}
