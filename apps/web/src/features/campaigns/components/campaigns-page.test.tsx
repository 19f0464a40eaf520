import { type Campaign, campaignSchema, page } from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting } from '../../../test/mocks/api';
import { renderWithProviders } from '../../../test/render';
import { campaign, serveCampaignScreens, tenantId } from '../test/fixtures';
import { CampaignsView } from './campaigns-page';

/** GET /tenants/{id}/campaigns: `answer` of the status asked for (none: all). */
const campaignsOf = (answer: (status: string | null) => Campaign[]) =>
  getting(`/tenants/${tenantId}/campaigns`, page(campaignSchema), ({ url }) => ({
    items: answer(url.searchParams.get('status')),
    nextCursor: null,
  }));

const draft: Campaign = {
  ...campaign,
  id: '0190f0f0-0000-7000-8000-0000000000c2',
  name: 'Reactivar clientes 2025',
  type: 'REACTIVATION',
  status: 'DRAFT',
  live: false,
  startAt: null,
  endAt: null,
  totals: { impressions: 0, clicks: 0, leads: 0, wins: 0 },
};

describe('CampaignsView', () => {
  it("lists the shop's campaigns with status, type, window and figures, and filters by status", async () => {
    const calls = serveCampaignScreens(
      campaignsOf((status) => (status === 'DRAFT' ? [draft] : [campaign, draft])),
    );
    await renderWithProviders(<CampaignsView tenantId={tenantId} timeZone="America/Lima" canEdit />);

    const rows = await screen.findAllByTestId('campaign-row');
    expect(rows).toHaveLength(2);
    const first = within(rows[0] as HTMLElement);
    expect(first.getByRole('link', { name: 'Cyber Wow gamer' })).toHaveAttribute(
      'href',
      `/campaigns/${campaign.id}`,
    );
    expect(first.getByText('Activa')).toBeInTheDocument();
    expect(first.getByText('Categoría')).toBeInTheDocument();
    expect(first.getByText('En curso')).toBeInTheDocument();
    expect(first.getByTestId('campaign-impressions')).toHaveTextContent('4,800');
    expect(first.getByTestId('campaign-clicks')).toHaveTextContent('240');
    expect(first.getByTestId('campaign-leads')).toHaveTextContent('60');
    expect(first.getByTestId('campaign-wins')).toHaveTextContent('12');
    expect(first.getByText(/1 nov 2026.*–.*1 dic 2026/)).toBeInTheDocument();
    const second = within(rows[1] as HTMLElement);
    expect(second.getByText('Borrador')).toBeInTheDocument();
    expect(second.getByText('Reactivación')).toBeInTheDocument();
    expect(second.getByText('Sin fechas: corre mientras esté activa')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Nueva campaña' })).toHaveAttribute('href', '/campaigns/new');

    await userEvent.selectOptions(screen.getByLabelText('Estado'), 'DRAFT');
    await waitFor(() => expect(screen.getAllByTestId('campaign-row')).toHaveLength(1));
    expect(calls.some((c) => c.path === `/api/v1/tenants/${tenantId}/campaigns?status=DRAFT&limit=50`)).toBe(
      true,
    );
  });

  it('offers no "Nueva campaña" to those who cannot create one', async () => {
    serveCampaignScreens(campaignsOf(() => []));
    await renderWithProviders(<CampaignsView tenantId={tenantId} timeZone="America/Lima" canEdit={false} />);
    expect(await screen.findByText('Todavía no hay campañas.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Nueva campaña' })).toBeNull();
  });
});
