import type { Kpis } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { DashboardView } from './dashboard-page';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const figures = {
  leads: 40,
  bySource: { MAP: 5, LISTING: 10, FEED: 0, WHATSAPP: 20, CAMPAIGN: 5, MANUAL: 0 },
  firstResponse: { responded: 36, unanswered: 4, medianMinutes: 12, p90Minutes: 180 },
  won: 10,
  lost: 6,
  conversionRate: 0.25,
  winRate: 0.625,
  followUp: { due: 20, onTime: 15, compliance: 0.75 },
  lostReasons: { PRICE: 3, STOCK: 1, NO_RESPONSE: 2, COMPETITOR: 0, OTHER: 0 },
};
const kpis: Kpis = {
  from: '2026-10-28T05:00:00.000Z',
  to: '2026-11-27T05:00:00.000Z',
  branchId: null,
  groupBy: 'branch',
  businessHoursOnly: true,
  totals: figures,
  groups: [{ ...figures, key: '0190f0f0-0000-7000-8000-000000000003', label: 'Miraflores' }],
};

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('DashboardView', () => {
  it('shows the KPI cards, chart data and reputation, and asks for the chosen branch', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = String(input);
        urls.push(url);
        if (url.includes('/branches'))
          return json({ items: [{ id: '0190f0f0-0000-7000-8000-000000000003', name: 'Miraflores' }] });
        if (url.includes('/kpis')) return json(kpis);
        if (url.includes('/reputation'))
          return json({
            from: kpis.from,
            to: kpis.to,
            windowDays: 30,
            formula: 'x',
            branches: [
              {
                branchId: '0190f0f0-0000-7000-8000-000000000003',
                name: 'Miraflores',
                score: 82,
                inputs: {
                  leads: 10,
                  answered: 9,
                  answeredOnTime: 8,
                  targetMinutes: 15,
                  businessHoursOnly: true,
                  medianMinutes: 9,
                  onTimeRate: 0.8,
                  answeredRate: 0.9,
                  speedScore: 0.7,
                },
              },
            ],
          });
        return json({});
      }),
    );
    // 22:00 on Thursday 26 in Lima is already Friday 27 in UTC: the period is Lima's last 30 days.
    await renderWithProviders(
      <DashboardView tenantId={tenantId} timeZone="America/Lima" now={Date.parse('2026-11-27T03:00:00Z')} />,
    );
    expect(await screen.findByText('12 min')).toBeInTheDocument();
    expect(screen.getByText('P90: 3 h · En horario de atención')).toBeInTheDocument();
    expect(screen.getByText(/^25\s?%$/)).toBeInTheDocument();
    expect(screen.getByText('10 ganados · 6 perdidos')).toBeInTheDocument();
    expect(screen.getByText('15 de 20 a tiempo')).toBeInTheDocument();
    expect(screen.getByText('WhatsApp: 20')).toBeInTheDocument();
    expect(screen.getByText('Precio: 3')).toBeInTheDocument();
    expect(await screen.findByText('82')).toBeInTheDocument();
    const kpisUrl = new URL(urls.find((u) => u.includes('/kpis')) ?? '', 'http://x');
    expect(kpisUrl.searchParams.get('groupBy')).toBe('branch');
    expect(kpisUrl.searchParams.get('from')).toBe('2026-10-28T05:00:00.000Z');
    expect(kpisUrl.searchParams.get('to')).toBe('2026-11-27T05:00:00.000Z');
    expect(screen.getByLabelText('Hasta')).toHaveValue('2026-11-26');

    const select = screen.getByLabelText('Sucursal');
    await waitFor(() => expect(select.querySelectorAll('option')).toHaveLength(2));
    const { fireEvent } = await import('@testing-library/react');
    fireEvent.change(select, { target: { value: '0190f0f0-0000-7000-8000-000000000003' } });
    await waitFor(() =>
      expect(urls.some((u) => u.includes('/kpis') && u.includes('branchId=0190f0f0'))).toBe(true),
    );
  });
});
