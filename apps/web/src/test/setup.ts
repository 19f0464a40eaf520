import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from './mocks/server';

// findBy*/waitFor wait on their condition; on a loaded 2-core machine Mantine's menus and transitions can take
// longer than the default second to appear.
configure({ asyncUtilTimeout: 5000 });

// Mantine reads these; jsdom has neither.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub;
window.HTMLElement.prototype.scrollIntoView = () => {};
// Mantine's autosize Textarea listens for web fonts loading; jsdom has no FontFaceSet.
if (!document.fonts)
  Object.defineProperty(document, 'fonts', { value: { addEventListener() {}, removeEventListener() {} } });
window.scrollTo = () => {};

// A request no handler answers fails the test.
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  localStorage.clear();
  server.resetHandlers();
  server.events.removeAllListeners();
});
afterAll(() => server.close());
