import { useEffect, useRef } from 'react';

/** How many overlays (dialogs, drawers) deep this history entry is: 0 for a page. */
const depthOf = (state: unknown) =>
  typeof state === 'object' &&
  state !== null &&
  typeof (state as { tmOverlay?: unknown }).tmOverlay === 'number'
    ? (state as { tmOverlay: number }).tmOverlay
    : 0;

/**
 * The phone's back button (history back) closes an open dialog or drawer instead of leaving the page under it.
 * While `opened`, an entry for the same URL is pushed on top of the page's; going back pops it and calls `close`.
 * Closing it otherwise (its ×, Escape, a submit) takes the entry away again, so back then leaves the page as
 * usual. Overlays on overlays stack: back closes the top one only.
 */
export function useBackCloses(opened: boolean, close: () => void) {
  const closeRef = useRef(close);
  closeRef.current = close;
  const active = useRef(false);

  useEffect(() => {
    if (!opened) return;
    active.current = true;
    // A remount of the same overlay (React's strict mode) finds its entry still there.
    let depth = depthOf(window.history.state);
    if (!pushedBy.has(closeRef)) {
      depth += 1;
      window.history.pushState({ ...(window.history.state ?? {}), tmOverlay: depth }, '');
      pushedBy.add(closeRef);
    }
    const onPop = () => {
      if (depthOf(window.history.state) < depth) {
        pushedBy.delete(closeRef);
        closeRef.current();
      }
    };
    window.addEventListener('popstate', onPop);
    return () => {
      active.current = false;
      window.removeEventListener('popstate', onPop);
      // After this turn: a strict-mode remount runs the effect again first and keeps the entry.
      queueMicrotask(() => {
        if (active.current || !pushedBy.has(closeRef)) return;
        pushedBy.delete(closeRef);
        // Only while the entry is still the current one: a dialog that closed by going to another page
        // (a new quote opens its page) must not take that page back.
        if (depthOf(window.history.state) === depth) window.history.back();
      });
    };
  }, [opened]);
}

/** The overlays whose history entry is on the stack, by their hook. */
const pushedBy = new WeakSet<object>();
