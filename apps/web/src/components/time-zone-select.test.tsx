import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import { TimeZoneSelect } from './time-zone-select';

function Picker({ initial, onPick }: { initial: string; onPick: (zone: string) => void }) {
  const [zone, setZone] = useState(initial);
  return (
    <TimeZoneSelect
      label="Zona horaria"
      value={zone}
      onChange={(next) => {
        setZone(next);
        onPick(next);
      }}
    />
  );
}

describe('TimeZoneSelect', () => {
  it('lists Latin America first, then every other zone the browser knows', async () => {
    await renderWithProviders(<Picker initial="America/Lima" onPick={() => {}} />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Zona horaria' }));
    const listbox = await screen.findByRole('listbox');
    const groups = [...listbox.querySelectorAll('[class*="groupLabel"]')].map((g) => g.textContent);
    expect(groups).toEqual(['América Latina', 'Otras zonas']);
    const options = within(listbox)
      .getAllByRole('option')
      .map((o) => o.textContent ?? '');
    const firstOther = options.findIndex((o) => o.endsWith('· Africa/Abidjan'));
    expect(options[0]).toBe('Mexico City (GMT-6) · America/Mexico_City');
    // Every Latin American zone comes before the first of the others; Europe's are still there.
    for (const zone of ['America/Lima', 'America/Sao_Paulo', 'America/Santiago', 'America/Bogota'])
      expect(options.findIndex((o) => o.endsWith(`· ${zone}`))).toBeLessThan(firstOther);
    expect(options.some((o) => o.endsWith('· Europe/Madrid'))).toBe(true);
    expect(options.length).toBe(Intl.supportedValuesOf('timeZone').length);
  });

  it('finds a zone by its city in any case, and gives its IANA name', async () => {
    const picked: string[] = [];
    await renderWithProviders(<Picker initial="America/Lima" onPick={(zone) => picked.push(zone)} />);
    const input = screen.getByRole('combobox', { name: 'Zona horaria' });
    await userEvent.clear(input);
    await userEvent.type(input, 'buenos');
    await userEvent.click(await screen.findByRole('option', { name: /^Buenos Aires \(GMT-3\) · America\// }));
    expect(picked).toHaveLength(1);
    expect(picked[0]).toMatch(/^America\/(Argentina\/)?Buenos_Aires$/);
    await userEvent.clear(input);
    await userEvent.type(input, 'zzzz');
    expect(await screen.findByText('Ninguna zona con ese nombre')).toBeInTheDocument();
  });

  it('keeps a zone the browser does not list (UTC) as the value shown', async () => {
    await renderWithProviders(<Picker initial="UTC" onPick={() => {}} />);
    const input = screen.getByRole('combobox', { name: 'Zona horaria' }) as HTMLInputElement;
    expect(input.value).toMatch(/^UTC \(GMT[+0]*\) · UTC$/);
  });
});
