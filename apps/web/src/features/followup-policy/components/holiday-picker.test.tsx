import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import HolidayPicker from './holiday-picker';

function Holidays({ initial, seen }: { initial: string[]; seen: string[][] }) {
  const [days, setDays] = useState(initial);
  return (
    <HolidayPicker
      label="Feriados"
      value={days}
      onChange={(next) => {
        seen.push(next);
        setDays(next);
      }}
    />
  );
}

describe('HolidayPicker', () => {
  it('picks and unpicks days on a calendar, in order, and says them as dates in Spanish', async () => {
    const seen: string[][] = [];
    await renderWithProviders(<Holidays initial={['2026-12-25', '2026-12-08']} seen={seen} />);
    const input = screen.getByRole('button', { name: /Feriados/ });
    expect(input).toHaveTextContent('25 dic 2026, 8 dic 2026');

    await userEvent.click(input);
    // Weeks start on Monday, as in the shops' countries.
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)[0]).toMatch(/^lu/);
    await userEvent.click(await screen.findByRole('button', { name: '1 diciembre 2026' }));
    expect(seen.at(-1)).toEqual(['2026-12-01', '2026-12-08', '2026-12-25']);
    await userEvent.click(screen.getByRole('button', { name: '8 diciembre 2026' }));
    expect(seen.at(-1)).toEqual(['2026-12-01', '2026-12-25']);
    await userEvent.click(screen.getByRole('button', { name: 'Mes anterior' }));
    await userEvent.click(await screen.findByRole('button', { name: '1 noviembre 2026' }));
    expect(seen.at(-1)).toEqual(['2026-11-01', '2026-12-01', '2026-12-25']);
  });
});
