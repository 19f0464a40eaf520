import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { clearDraft, readDraft, useDraft, writeDraft } from './draft';

describe('drafts', () => {
  it('keeps a value per user and per thing until it is cleared', () => {
    writeDraft('ana', 'note:lead-1', 'Llamar a las 5');
    expect(readDraft('ana', 'note:lead-1')).toBe('Llamar a las 5');
    expect(readDraft('ana', 'note:lead-2')).toBeNull();
    expect(readDraft('luis', 'note:lead-1')).toBeNull();
    clearDraft('ana', 'note:lead-1');
    expect(readDraft('ana', 'note:lead-1')).toBeNull();
  });

  it('drops an empty draft instead of keeping it', () => {
    writeDraft('ana', 'quote:lead-1', { lines: [], notes: '' }, (v) => v.lines.length === 0 && !v.notes);
    expect(localStorage.length).toBe(0);
  });

  it('useDraft restores what was typed before a reload and clears it once submitted', () => {
    const first = renderHook(() => useDraft('ana', 'note:lead-1', ''));
    act(() => first.result.current[1]('Quiere la funda'));
    first.unmount();

    const again = renderHook(() => useDraft('ana', 'note:lead-1', ''));
    expect(again.result.current[0]).toBe('Quiere la funda');
    act(() => again.result.current[2]());
    expect(again.result.current[0]).toBe('');
    expect(renderHook(() => useDraft('ana', 'note:lead-1', '')).result.current[0]).toBe('');
  });

  it('survives storage that refuses to write', () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      expect(() => writeDraft('ana', 'note:lead-1', 'texto')).not.toThrow();
    } finally {
      Storage.prototype.setItem = setItem;
    }
  });
});
