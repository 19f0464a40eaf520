/**
 * The app's stylesheet, applied before the first render. The build (vite.config.ts, `nonBlockingStyles`) only
 * preloads it from index.html, so that it does not hold the first paint (the splash, styled inline); the screens
 * need it, so React's first render waits for it here. Nothing to do in development, where Vite injects the styles
 * itself, or when the page already has it.
 */
export function appStylesApplied(): Promise<void> {
  const preload = document.querySelector<HTMLLinkElement>('link[rel="preload"][data-app-styles]');
  if (!preload) return Promise.resolve();
  const sheet = document.createElement('link');
  sheet.rel = 'stylesheet';
  if (preload.crossOrigin !== null) sheet.crossOrigin = preload.crossOrigin;
  sheet.href = preload.href;
  // A stylesheet that failed to load should not keep the app from starting.
  const applied = new Promise<void>((resolve) => {
    sheet.addEventListener('load', () => resolve(), { once: true });
    sheet.addEventListener('error', () => resolve(), { once: true });
  });
  preload.after(sheet);
  return applied;
}
