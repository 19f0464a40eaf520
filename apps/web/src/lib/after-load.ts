/**
 * For work no first screen needs (the service worker's registration, the toasts' container): once the first screen
 * has been resolved (app.tsx tells, from the router), the page has loaded and the browser has a quiet moment. So it
 * neither competes with the first screen's downloads on a slow network nor lengthens its main-thread work. (The
 * load event alone comes too soon: it does not wait for the screen's lazy code.)
 */
let shown: () => void = () => undefined;
const firstScreen = new Promise<void>((resolve) => {
  shown = resolve;
});

/** The first screen's route has resolved: called once by app.tsx. */
export const firstScreenResolved = () => shown();

/** index.html's splash goes once the first screen is drawn (two frames after its route resolved). */
export function removeSplashAfterFirstScreen() {
  const remove = () => document.getElementById('splash')?.remove();
  void firstScreen.then(() => requestAnimationFrame(() => requestAnimationFrame(remove)));
  // Whatever happens to the first screen, the splash never stays over the app.
  setTimeout(remove, 10_000);
}

/** Runs `task` after the first screen (see above). Returns a cancel function. */
export function afterFirstScreen(task: () => void): () => void {
  let cancelled = false;
  let idle: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const whenIdle = () => {
    if (cancelled) return;
    // Safari has no requestIdleCallback: a short timeout stands in for it.
    if (typeof window.requestIdleCallback === 'function')
      idle = window.requestIdleCallback(task, { timeout: 2000 });
    else timer = setTimeout(task, 200);
  };
  void firstScreen.then(() => {
    if (document.readyState === 'complete') whenIdle();
    else window.addEventListener('load', whenIdle, { once: true });
  });
  return () => {
    cancelled = true;
    window.removeEventListener('load', whenIdle);
    if (idle !== undefined) window.cancelIdleCallback(idle);
    if (timer !== undefined) clearTimeout(timer);
  };
}
