import {
  type AssistantKpis,
  assistantKpiSchema,
  branchSchema,
  type KpiFigures,
  type Kpis,
  kpiSchema,
  type Revenue,
  reputationSchema,
  revenueSchema,
} from '@techmarket/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { formatMoney } from '../../../lib/format';
import { getting, listing } from '../../../test/mocks/api';
import { aBranch } from '../../../test/mocks/fixtures';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { DashboardView } from './dashboard-page';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const figures: KpiFigures = {
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
  // The 30 days before: more leads, slower, fewer unanswered, a better conversion, nothing closed, same compliance.
  previous: {
    from: '2026-09-28T05:00:00.000Z',
    to: '2026-10-28T05:00:00.000Z',
    totals: {
      ...figures,
      leads: 32,
      firstResponse: { responded: 30, unanswered: 2, medianMinutes: 15, p90Minutes: 200 },
      won: 0,
      lost: 0,
      conversionRate: 0.3,
      winRate: null,
      followUp: { due: 8, onTime: 6, compliance: 0.75 },
    },
  },
};

const day = (key: string, changes: Partial<KpiFigures>) => ({ ...figures, ...changes, key, label: null });
// Lima's days: the 2nd has leads and tasks, the 3rd only tasks due, the 5th only leads; the rest nothing.
const kpisByDay: Kpis = {
  ...kpis,
  groupBy: 'day',
  groups: [
    day('2026-11-02', {
      firstResponse: { responded: 3, unanswered: 0, medianMinutes: 8, p90Minutes: 45 },
      followUp: { due: 2, onTime: 1, compliance: 0.5 },
    }),
    day('2026-11-03', {
      leads: 0,
      firstResponse: { responded: 0, unanswered: 0, medianMinutes: null, p90Minutes: null },
      followUp: { due: 3, onTime: 3, compliance: 1 },
    }),
    day('2026-11-05', {
      firstResponse: { responded: 2, unanswered: 1, medianMinutes: 20, p90Minutes: 90 },
      followUp: { due: 0, onTime: 0, compliance: null },
    }),
  ],
};

const branchId = '0190f0f0-0000-7000-8000-000000000003';
const reputation: z.input<typeof reputationSchema> = {
  from: kpis.from,
  to: kpis.to,
  windowDays: 30,
  formula: 'x',
  branches: [
    {
      branchId,
      name: 'Miraflores',
      score: 82,
      inputs: {
        leads: 10,
        answered: 9,
        answeredOnTime: 8,
        targetMinutes: 15,
        businessHoursOnly: true,
        medianMinutes: 9,
        p90Minutes: 30,
        onTimeRate: 0.8,
        answeredRate: 0.9,
        speedScore: 0.7,
      },
    },
  ],
};

const sellerId = '0190f0f0-0000-7000-8000-000000000009';
const revenue: Revenue = {
  from: kpis.from,
  to: kpis.to,
  branchId: null,
  pipeline: [
    { status: 'QUALIFIED', currency: 'PEN', leads: 2, amount: 499800, averageTicket: 249900 },
    { status: 'QUOTED', currency: 'PEN', leads: 1, amount: 120000, averageTicket: 120000 },
    { status: 'QUOTED', currency: 'USD', leads: 1, amount: 89900, averageTicket: 89900 },
  ],
  won: [
    { currency: 'PEN', leads: 3, amount: 750000, averageTicket: 250000 },
    { currency: 'USD', leads: 1, amount: 50000, averageTicket: 50000 },
    { currency: null, leads: 2, amount: 0, averageTicket: null },
  ],
  bySource: [
    { key: 'LISTING', label: null, currency: 'PEN', leads: 2, amount: 500000, averageTicket: 250000 },
    { key: 'WHATSAPP', label: null, currency: 'PEN', leads: 1, amount: 250000, averageTicket: 250000 },
    { key: 'WHATSAPP', label: null, currency: 'USD', leads: 1, amount: 50000, averageTicket: 50000 },
  ],
  byBranch: [],
  bySeller: [
    { key: sellerId, label: 'Carla Díaz', currency: 'PEN', leads: 3, amount: 750000, averageTicket: 250000 },
    { key: null, label: null, currency: 'USD', leads: 1, amount: 50000, averageTicket: 50000 },
  ],
  byCampaign: [],
};

const assistantKpis: AssistantKpis = {
  from: kpis.from,
  to: kpis.to,
  branchId: null,
  suggestions: 36,
  withOutcome: 30,
  inferred: 21,
  sentAsIs: 14,
  edited: 10,
  notUsed: 6,
  shares: { sentAsIs: 0.467, edited: 0.333, notUsed: 0.2 },
  timeSaved: { characters: 5400, minutes: 30, charsPerMinute: 180 },
};

/** Answers the dashboard's calls and records their URLs. */
function stubApi() {
  server.use(
    listing(`/tenants/${tenantId}/branches`, branchSchema, [aBranch({ id: branchId, name: 'Miraflores' })]),
    getting(`/tenants/${tenantId}/kpis`, kpiSchema, ({ url }) =>
      url.searchParams.get('groupBy') === 'day' ? kpisByDay : kpis,
    ),
    getting(`/tenants/${tenantId}/reputation`, reputationSchema, () => reputation),
    getting(`/tenants/${tenantId}/kpis/revenue`, revenueSchema, () => revenue),
    getting(`/tenants/${tenantId}/kpis/assistant`, assistantKpiSchema, () => assistantKpis),
  );
  const requests = recordRequests();
  const kpiCalls = (groupBy: 'branch' | 'day') =>
    requests
      .map((request) => new URL(request.path, 'http://localhost'))
      .filter((u) => u.pathname.endsWith('/kpis') && u.searchParams.get('groupBy') === groupBy);
  return { kpiCalls };
}

/** The text of a table's body rows: the day, then each figure. */
const bodyRows = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

// 22:00 on Thursday 26 in Lima is already Friday 27 in UTC: the period is Lima's last 30 days.
const now = Date.parse('2026-11-27T03:00:00Z');

describe('DashboardView', () => {
  it('shows the KPI cards, chart data and reputation, and asks for the chosen branch', async () => {
    const api = stubApi();
    await renderWithProviders(<DashboardView tenantId={tenantId} timeZone="America/Lima" now={now} />);
    expect(await screen.findByText('12 min')).toBeInTheDocument();
    expect(screen.getByText(/^25\s?%$/)).toBeInTheDocument();
    expect(screen.getByText('WhatsApp: 20')).toBeInTheDocument();
    expect(screen.getByText('Precio: 3')).toBeInTheDocument();
    expect(await screen.findByText('82')).toBeInTheDocument();
    const [kpisUrl] = api.kpiCalls('branch');
    expect(kpisUrl?.searchParams.get('from')).toBe('2026-10-28T05:00:00.000Z');
    expect(kpisUrl?.searchParams.get('to')).toBe('2026-11-27T05:00:00.000Z');
    expect(screen.getByLabelText('Hasta')).toHaveValue('2026-11-26');
    // The board compares with the period before; the per-day trends do not, and ask the API to spare it.
    expect(kpisUrl?.searchParams.get('compare')).toBeNull();
    await waitFor(() => expect(api.kpiCalls('day')[0]?.searchParams.get('compare')).toBe('false'));

    const select = screen.getByLabelText('Sucursal');
    await waitFor(() => expect(select.querySelectorAll('option')).toHaveLength(2));
    fireEvent.change(select, { target: { value: branchId } });
    await waitFor(() =>
      expect(api.kpiCalls('branch').some((u) => u.searchParams.get('branchId') === branchId)).toBe(true),
    );
  });

  it('says what each card counts in one line, P90 in words, and the change since the previous period', async () => {
    stubApi();
    await renderWithProviders(<DashboardView tenantId={tenantId} timeZone="America/Lima" now={now} />);
    const card = async (name: string) =>
      [...(await screen.findByRole('region', { name })).querySelectorAll('p')].map((p) => p.textContent);

    expect(await card('Leads')).toEqual([
      'Leads',
      '40',
      'Leads que llegaron en el periodo',
      '↑ +8 vs. periodo anterior',
    ]);
    expect(await card('Primera respuesta')).toEqual([
      'Primera respuesta',
      '12 min',
      'Tiempo típico (mediana) hasta responder, en horario de atención',
      '9 de cada 10 en < 3 h',
      '↓ −3 min vs. periodo anterior',
    ]);
    // Unanswered leads are their own figure, not a footnote of the conversion.
    expect(await card('Sin responder')).toEqual([
      'Sin responder',
      '4',
      'Leads del periodo que aún esperan respuesta',
      '↑ +2 vs. periodo anterior',
    ]);
    const conversion = await card('Conversión');
    expect(conversion.slice(2)).toEqual([
      'Ganados sobre los que llegaron: 10 de 40',
      '↓ −5 p. p. vs. periodo anterior',
    ]);
    expect((await card('Tasa de cierre')).slice(2)).toEqual([
      'Ganados sobre cerrados: 10 de 16',
      'Sin datos del periodo anterior',
    ]);
    expect((await card('Seguimientos a tiempo')).slice(2)).toEqual([
      'Tareas hechas a tiempo: 15 de 20',
      '= Igual que el periodo anterior',
    ]);
    // Good news in green, bad in red: a faster reply is better although the minutes went down.
    const changeLine = (name: string) =>
      [...screen.getByRole('region', { name }).querySelectorAll('p')].at(-1)?.getAttribute('style') ?? '';
    expect(changeLine('Primera respuesta')).toContain('--tm-change-better');
    expect(changeLine('Sin responder')).toContain('--tm-change-worse');
    expect(changeLine('Leads')).toContain('--tm-change-better');
  });

  it('asks for the figures per day with the chosen period and branch', async () => {
    const api = stubApi();
    await renderWithProviders(<DashboardView tenantId={tenantId} timeZone="America/Lima" now={now} />);
    await waitFor(() => expect(api.kpiCalls('day')).toHaveLength(1));
    const [first] = api.kpiCalls('day');
    expect(first?.searchParams.get('from')).toBe('2026-10-28T05:00:00.000Z');
    expect(first?.searchParams.get('to')).toBe('2026-11-27T05:00:00.000Z');
    expect(first?.searchParams.has('branchId')).toBe(false);

    const select = screen.getByLabelText('Sucursal');
    await waitFor(() => expect(select.querySelectorAll('option')).toHaveLength(2));
    fireEvent.change(select, { target: { value: branchId } });
    fireEvent.click(screen.getByText('7 días'));
    // The last 7 of Lima's days, 20 to 26 November, for the branch chosen.
    await waitFor(() =>
      expect(
        api
          .kpiCalls('day')
          .some(
            (u) =>
              u.searchParams.get('branchId') === branchId &&
              u.searchParams.get('from') === '2026-11-20T05:00:00.000Z' &&
              u.searchParams.get('to') === '2026-11-27T05:00:00.000Z',
          ),
      ).toBe(true),
    );
  });

  it('charts first response and compliance per day, saying the figures of the days that have them', async () => {
    stubApi();
    await renderWithProviders(<DashboardView tenantId={tenantId} timeZone="America/Lima" now={now} />);

    const response = await screen.findByRole('region', { name: 'Primera respuesta por día' });
    expect(response.querySelector('.recharts-responsive-container')).not.toBeNull();
    expect(
      within(response).getByText(/según el día en que llegó el lead.* · En horario de atención$/),
    ).toBeInTheDocument();
    expect(bodyRows(within(response).getByRole('table', { name: 'Primera respuesta por día' }))).toEqual([
      // The 3rd had tasks but no lead, so no first response: no row, and a gap in the line.
      ['lun, 2 nov', '8 min', '45 min'],
      ['jue, 5 nov', '20 min', '1.5 h'],
    ]);
    expect(
      within(response)
        .getAllByRole('columnheader')
        .map((c) => c.textContent),
    ).toEqual(['Día', 'Mediana', 'P90']);

    const compliance = screen.getByRole('region', { name: 'Seguimientos a tiempo por día' });
    expect(compliance.querySelector('.recharts-responsive-container')).not.toBeNull();
    // The 5th had leads but no task due: no row.
    const complianceRows = bodyRows(
      within(compliance).getByRole('table', { name: 'Seguimientos a tiempo por día' }),
    );
    expect(complianceRows.map(([dayLabel]) => dayLabel)).toEqual(['lun, 2 nov', 'mar, 3 nov']);
    expect(complianceRows[0]?.[1]).toMatch(/^50\s?% \(1 de 2 a tiempo\)$/);
    expect(complianceRows[1]?.[1]).toMatch(/^100\s?% \(3 de 3 a tiempo\)$/);
  });

  it('shows money per currency: revenue and average ticket, the pipeline per stage, revenue by source and seller', async () => {
    const api = stubApi();
    await renderWithProviders(<DashboardView tenantId={tenantId} timeZone="America/Lima" now={now} />);
    const money = await screen.findByRole('region', { name: 'Dinero' });
    // Soles and dollars side by side, never added up; won leads without a value add no card.
    expect(within(money).getByText('Ingresos ganados (PEN)')).toBeInTheDocument();
    expect(within(money).getByText('S/ 7,500.00')).toBeInTheDocument();
    expect(within(money).getByText('3 ventas · ticket promedio S/ 2,500.00')).toBeInTheDocument();
    expect(within(money).getByText('Ingresos ganados (USD)')).toBeInTheDocument();
    expect(within(money).getByText(/^1 venta · ticket promedio USD\s500\.00$/)).toBeInTheDocument();
    expect(within(money).queryByText(/Ingresos ganados \(null\)/)).toBeNull();

    // One pipeline chart per currency, its figures readable as a list.
    const penChart = within(money).getByRole('region', { name: 'Pipeline abierto por etapa (PEN)' });
    expect(within(penChart).getByText('Calificado: S/ 4,998.00')).toBeInTheDocument();
    expect(within(penChart).getByText('Cotizado: S/ 1,200.00')).toBeInTheDocument();
    const usd = within(money).getByRole('region', { name: 'Pipeline abierto por etapa (USD)' });
    expect(within(usd).getByText(/^Cotizado: USD\s899\.00$/)).toBeInTheDocument();

    const table = within(money).getByRole('table', { name: 'Ingresos ganados por' });
    // As the app writes money in Spanish (a no-break space between the symbol and the amount).
    const pen = (minor: number) => formatMoney(minor, 'PEN', 'es-419');
    const usd500 = formatMoney(50000, 'USD', 'es-419');
    expect(bodyRows(table)).toEqual([
      ['Publicación', '2', pen(500000), pen(250000)],
      ['WhatsApp', '1', pen(250000), pen(250000)],
      ['WhatsApp', '1', usd500, usd500],
    ]);
    fireEvent.click(within(money).getByText('Por vendedor'));
    expect(bodyRows(within(money).getByRole('table', { name: 'Ingresos ganados por' }))).toEqual([
      ['Carla Díaz', '3', pen(750000), pen(250000)],
      ['Sin asignar', '1', usd500, usd500],
    ]);
    expect(api.kpiCalls('branch')).not.toHaveLength(0);
  });

  it("shows what sellers did with the assistant's suggested replies, with the period and branch asked for", async () => {
    stubApi();
    const requests = recordRequests();
    await renderWithProviders(<DashboardView tenantId={tenantId} timeZone="America/Lima" now={now} />);
    const section = await screen.findByRole('region', { name: 'Respuestas sugeridas' });
    expect(within(section).getByText('Enviadas tal cual')).toBeInTheDocument();
    expect(within(section).getByText(/^47\s?%$/)).toBeInTheDocument();
    expect(within(section).getByText('14 enviadas sin cambios (90 % o más igual)')).toBeInTheDocument();
    expect(within(section).getByText(/^33\s?%$/)).toBeInTheDocument();
    expect(within(section).getByText(/^20\s?%$/)).toBeInTheDocument();
    expect(within(section).getByText('30 min')).toBeInTheDocument();
    expect(
      within(section).getByText(
        /^5[.,\s]?400 caracteres que no hubo que escribir, a 180 por minuto en el celular$/,
      ),
    ).toBeInTheDocument();
    expect(within(section).getByText(/^30 de 36 sugerencias con resultado/)).toBeInTheDocument();
    const asked = requests
      .map((request) => new URL(request.path, 'http://localhost'))
      .find((u) => u.pathname.endsWith('/kpis/assistant'));
    expect(asked?.searchParams.get('from')).toBe(kpis.from);
  });
});
