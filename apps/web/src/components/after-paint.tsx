import { type ReactNode, startTransition, useEffect, useState } from 'react';

/**
 * Renders its children after the screen around it has painted, in a transition: React renders them in short
 * slices that leave the main thread free to answer a tap, instead of one long task with the rest of the screen.
 * For what is below the fold on a phone; it must not move what is above (nothing visible may sit below it).
 */
export function AfterPaint({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // A frame, then a task: the paint of what is above goes out first.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setReady(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return ready ? children : null;
}
