import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { metrics } from '../test/fixtures';
import { DailyChart } from './daily-chart';

describe('DailyChart', () => {
  // jsdom lays nothing out: the chart's box is given the size a browser would measure (the rest, the legend
  // included, stays at zero).
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      return this.matches('.recharts-responsive-container, .recharts-wrapper')
        ? DOMRect.fromRect({ width: 640, height: 300 })
        : DOMRect.fromRect({ width: 0, height: 0 });
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('draws straight lines between days, on axes that say what they count and in which unit', async () => {
    await renderWithProviders(<DailyChart metrics={metrics} />);
    const region = await screen.findByRole('region', { name: 'Resultados por día' });
    await waitFor(() => expect(region.querySelectorAll('path.recharts-line-curve')).toHaveLength(4));
    const lines = [...region.querySelectorAll('path.recharts-line-curve')];
    for (const line of lines) {
      const path = line.getAttribute('d') ?? '';
      // Moves and straight segments only: a curve ("C") would draw values between the days that are not there.
      expect(path).toMatch(/^M[\d.,\s]+(L[\d.,\s]+)+$/);
    }
    const axisTitles = [...region.querySelectorAll('.recharts-label')].map((label) => label.textContent);
    expect(axisTitles).toEqual([
      'Día (calendario de la tienda)',
      'Clics, leads y ventas (cantidad por día)',
      'Impresiones (cantidad por día)',
    ]);
  });
});
