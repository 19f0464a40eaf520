import { notifications } from '@mantine/notifications';
import {
  type Campaign,
  campaignBreakdownSchema,
  campaignMetricsSchema,
  campaignReplyBody,
  campaignReplySchema,
  campaignSchema,
} from '@techmarket/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getting, posting, problem, sending } from '../../../test/mocks/api';
import { renderWithProviders } from '../../../test/render';
import { breakdown, campaign, metrics, serveCampaignScreens, tenantId } from '../test/fixtures';
import { CampaignView } from './campaign-page';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The campaign (as `current()` holds it), its figures and its breakdown. */
const campaignApi = (current: () => Campaign) => [
  getting(`/campaigns/${campaign.id}/metrics`, campaignMetricsSchema, () => metrics),
  getting(`/campaigns/${campaign.id}/breakdown`, campaignBreakdownSchema, () => breakdown),
  getting(`/campaigns/${campaign.id}`, campaignSchema, () => current()),
];

describe('CampaignView', () => {
  it('shows the funnel with each step’s conversion, the per-branch and per-listing figures, and the range', async () => {
    const calls = serveCampaignScreens(...campaignApi(() => campaign));
    await renderWithProviders(
      <CampaignView campaignId={campaign.id} tenantId={tenantId} timeZone="America/Lima" canEdit />,
    );
    expect(await screen.findByRole('heading', { name: 'Cyber Wow gamer', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('Preguntó por Gaming en los últimos 90 días')).toBeInTheDocument();

    expect(await screen.findByTestId('metric-impressions')).toHaveTextContent('4,000');
    expect(screen.getByTestId('metric-clicks')).toHaveTextContent('200');
    expect(screen.getByTestId('metric-leads')).toHaveTextContent('40');
    expect(screen.getByTestId('metric-wins')).toHaveTextContent('5');
    expect(screen.getByTestId('rate-clicks')).toHaveTextContent('5% de las impresiones');
    expect(screen.getByTestId('rate-leads')).toHaveTextContent('20% de los clics');
    expect(screen.getByTestId('rate-wins')).toHaveTextContent('12.5% de los leads');
    expect(screen.getByTestId('funnel-overall')).toHaveTextContent('Ventas por impresión: 0.1%');
    expect(screen.getByTestId('funnel-revenue')).toHaveTextContent(
      /^Ingresos de las ventas ganadas: S\/\s12,495\.00$/,
    );
    expect(screen.getByRole('heading', { name: 'Resultados por día' })).toBeInTheDocument();

    const byBranch = await screen.findByRole('table', { name: 'Por sucursal' });
    expect(within(byBranch).getByRole('row', { name: 'Lima – Miraflores 150 30 4' })).toBeInTheDocument();
    const byListing = screen.getByRole('table', { name: 'Por producto' });
    expect(
      within(byListing).getByRole('row', { name: 'Laptop gamer ASUS TUF 2,500 120 25 3' }),
    ).toBeInTheDocument();

    // The range the API chose is shown; another one asks again for it.
    expect(screen.getByLabelText('Desde')).toHaveValue('2026-11-01');
    expect(screen.getByLabelText('Hasta')).toHaveValue('2026-11-03');
    fireEvent.change(screen.getByLabelText('Desde'), { target: { value: '2026-11-02' } });
    await waitFor(() =>
      expect(calls.some((c) => c.path === `/api/v1/campaigns/${campaign.id}/metrics?from=2026-11-02`)).toBe(
        true,
      ),
    );
    expect(calls.some((c) => c.path === `/api/v1/campaigns/${campaign.id}/breakdown?from=2026-11-02`)).toBe(
      true,
    );
  });

  it('offers only the moves the status allows: a draft is activated, an active one paused or ended', async () => {
    let current: Campaign = { ...campaign, status: 'DRAFT', live: false };
    const calls = serveCampaignScreens(
      posting(`/campaigns/${campaign.id}/activate`, campaignSchema, () => {
        current = { ...campaign, status: 'ACTIVE', live: true };
        return current;
      }),
      ...campaignApi(() => current),
    );
    await renderWithProviders(
      <CampaignView campaignId={campaign.id} tenantId={tenantId} timeZone="America/Lima" canEdit />,
    );
    const actions = await screen.findByRole('group', { name: 'Acciones de la campaña' });
    expect(within(actions).queryByRole('button', { name: 'Pausar' })).toBeNull();
    expect(screen.getByTestId('campaign-status')).toHaveTextContent('Borrador');

    await userEvent.click(within(actions).getByRole('button', { name: 'Activar' }));
    await waitFor(() => expect(screen.getByTestId('campaign-status')).toHaveTextContent('Activa'));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      `/api/v1/campaigns/${campaign.id}/activate`,
    ]);
    expect(within(actions).queryByRole('button', { name: 'Activar' })).toBeNull();
    expect(within(actions).getByRole('button', { name: 'Pausar' })).toBeInTheDocument();
    expect(within(actions).getByRole('button', { name: 'Finalizar' })).toBeInTheDocument();
    expect(screen.getByText('En curso')).toBeInTheDocument();
  });

  it('records a reply typed by its code on a reactivation campaign and opens its lead; an unknown code says so', async () => {
    const reactivation: Campaign = {
      ...campaign,
      type: 'REACTIVATION',
      reactivation: { frequencyCapDays: 30, quietHours: { start: '21:00', end: '09:00' } },
    };
    const leadId = '0190f0f0-0000-7000-8000-0000000000e1';
    const bodies: unknown[] = [];
    serveCampaignScreens(
      sending(
        'post',
        `/tenants/${tenantId}/campaign-replies`,
        { body: campaignReplyBody, schema: campaignReplySchema },
        ({ refCode }, { sent }) => {
          bodies.push(sent);
          if (refCode !== 'c7k2 m9')
            return problem(422, {
              title: 'Unprocessable request',
              errors: [
                { path: 'refCode', message: 'no reactivation message of this shop has this reference code' },
              ],
            });
          return {
            sendId: '0190f0f0-0000-7000-8000-0000000000e9',
            campaignId: campaign.id,
            refCode: 'C7K2M9',
            leadId,
            created: false,
            repliedAt: '2026-11-26T15:30:00.000Z',
          };
        },
      ),
      ...campaignApi(() => reactivation),
    );
    const shown = vi.spyOn(notifications, 'show');
    const { router } = await renderWithProviders(
      <CampaignView campaignId={campaign.id} tenantId={tenantId} timeZone="America/Lima" canEdit={false} />,
    );
    const form = await screen.findByRole('region', { name: 'Registrar respuesta' });
    const code = within(form).getByLabelText('Código (Ref.)');
    await userEvent.type(code, 'CXXXXXX');
    await userEvent.click(within(form).getByRole('button', { name: 'Registrar' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Ningún mensaje de reactivación de la tienda tiene ese código',
    );
    expect(code).toHaveAttribute('aria-invalid', 'true');

    await userEvent.clear(code);
    expect(within(form).queryByRole('alert')).toBeNull();
    await userEvent.type(code, ' c7k2 m9 ');
    await userEvent.click(within(form).getByRole('button', { name: 'Registrar' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/leads/${leadId}`));
    expect(bodies).toEqual([{ refCode: 'CXXXXXX' }, { refCode: 'c7k2 m9' }]);
    expect(shown).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Respuesta registrada en su conversación abierta' }),
    );
  });

  it('has no reply form on other campaigns', async () => {
    serveCampaignScreens(...campaignApi(() => campaign));
    await renderWithProviders(
      <CampaignView campaignId={campaign.id} tenantId={tenantId} timeZone="America/Lima" canEdit />,
    );
    await screen.findByRole('heading', { name: 'Cyber Wow gamer', level: 1 });
    expect(screen.queryByRole('region', { name: 'Registrar respuesta' })).toBeNull();
  });
});
