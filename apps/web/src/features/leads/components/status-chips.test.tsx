import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { StatusChips } from './status-chips';

describe('StatusChips', () => {
  it('writes each count inside its chip’s label, with the open stages summed', async () => {
    const counts = {
      total: 1234,
      counts: { NEW: 5, CONTACTED: 7, QUALIFIED: 0, QUOTED: 1000, WON: 200, LOST: 20, DORMANT: 2 },
      amounts: { NEW: [], CONTACTED: [], QUALIFIED: [], QUOTED: [], WON: [], LOST: [], DORMANT: [] },
    };
    await renderWithProviders(<StatusChips counts={counts} value="OPEN" onChange={() => {}} />);
    const open = screen.getByRole('radio', { name: /Abiertas/ });
    const label = document.querySelector(`label[for="${open.id}"]`);
    expect(label).toHaveTextContent('Abiertas1012');
    // Text of the label, not a badge of its own: it grows the chip instead of spilling over its border.
    expect(label?.querySelector('.mantine-Badge-root')).toBeNull();
    expect(
      document.querySelector(`label[for="${screen.getByRole('radio', { name: /Todas/ }).id}"]`),
    ).toHaveTextContent('1234');
  });
});
