import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { BusinessHoursEditor, fromWeekHours, toWeekHours, type WeekHours } from './business-hours-editor';

function Harness({ onWeek }: { onWeek: (week: WeekHours) => void }) {
  const [week, setWeek] = useState(toWeekHours({}));
  onWeek(week);
  return <BusinessHoursEditor value={week} onChange={setWeek} />;
}

describe('business hours', () => {
  it('round-trips the API shape, a closed day being an empty list', () => {
    const hours = { mon: [{ open: '09:00', close: '19:00' }], sat: [{ open: '10:00', close: '14:00' }] };
    const week = toWeekHours(hours);
    expect(week.mon).toEqual({ open: true, from: '09:00', to: '19:00' });
    expect(week.sun.open).toBe(false);
    expect(fromWeekHours(week)).toEqual({
      mon: [{ open: '09:00', close: '19:00' }],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [{ open: '10:00', close: '14:00' }],
      sun: [],
    });
  });

  it('opens a closed day with default hours', async () => {
    let latest: WeekHours | null = null;
    await renderWithProviders(<Harness onWeek={(week) => (latest = week)} />);
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Domingo' }));
    expect(screen.getByLabelText('Domingo: abre')).toHaveValue('09:00');
    expect(latest).not.toBeNull();
    expect(fromWeekHours(latest as unknown as WeekHours).sun).toEqual([{ open: '09:00', close: '19:00' }]);
  });
});
