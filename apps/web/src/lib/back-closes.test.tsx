import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useBackCloses } from './back-closes';

const depth = () => (window.history.state as { tmOverlay?: number } | null)?.tmOverlay ?? 0;
const back = async () => {
  const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
  window.history.back();
  await popped;
};

describe('useBackCloses', () => {
  afterEach(() => window.history.replaceState(null, ''));

  it('pushes an entry while open; going back closes the overlay and leaves the page where it was', async () => {
    const close = vi.fn();
    const before = window.history.length;
    renderHook(({ opened }) => useBackCloses(opened, close), { initialProps: { opened: true } });
    expect(window.history.length).toBe(before + 1);
    expect(depth()).toBe(1);
    await act(back);
    expect(close).toHaveBeenCalledOnce();
    expect(depth()).toBe(0);
  });

  it('takes its entry away when closed otherwise, so back then leaves the page', async () => {
    const close = vi.fn();
    const hook = renderHook(({ opened }) => useBackCloses(opened, close), { initialProps: { opened: true } });
    expect(depth()).toBe(1);
    hook.rerender({ opened: false });
    await waitFor(() => expect(depth()).toBe(0));
    expect(close).not.toHaveBeenCalled();
  });

  it('closes only the top one of two stacked overlays', async () => {
    const below = vi.fn();
    const above = vi.fn();
    renderHook(() => useBackCloses(true, below));
    renderHook(() => useBackCloses(true, above));
    expect(depth()).toBe(2);
    await act(back);
    expect(above).toHaveBeenCalledOnce();
    expect(below).not.toHaveBeenCalled();
  });
});
