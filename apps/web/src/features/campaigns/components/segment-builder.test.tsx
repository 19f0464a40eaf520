import {
  type Campaign,
  campaignSchema,
  createCampaignBody,
  type SegmentPreview,
  segmentPreviewBody,
  segmentPreviewSchema,
  updateCampaignBody,
} from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { problem, sending } from '../../../test/mocks/api';
import { renderWithProviders } from '../../../test/render';
import { campaign, serveCampaignScreens, tenantId } from '../test/fixtures';
import { CampaignEditor } from './campaign-editor';

/** POST /tenants/{id}/segments/preview: the same preview for any segment; the segments asked about are recorded. */
const previewing = (asked: unknown[] = []) =>
  sending(
    'post',
    `/tenants/${tenantId}/segments/preview`,
    { body: segmentPreviewBody, schema: segmentPreviewSchema, status: 200 },
    (_body, { sent }) => {
      asked.push(sent);
      return preview;
    },
  );

const preview: SegmentPreview = {
  count: 128,
  sample: [
    {
      contactId: '0190f0f0-0000-7000-8000-0000000000a1',
      name: 'Rosa Huamán',
      phone: '+51987654321',
      marketingConsent: true,
      optedOut: false,
    },
    {
      contactId: '0190f0f0-0000-7000-8000-0000000000a2',
      name: null,
      phone: '+51912345678',
      marketingConsent: false,
      optedOut: false,
    },
  ],
};

describe('CampaignEditor and its segment builder', () => {
  it('builds a valid segment rule by rule, shows its live count, and creates the campaign with it', async () => {
    const asked: unknown[] = [];
    const created: unknown[] = [];
    serveCampaignScreens(
      previewing(asked),
      sending(
        'post',
        '/campaigns',
        { body: createCampaignBody, schema: campaignSchema },
        (_body, { sent }) => {
          created.push(sent);
          const drafted: Campaign = { ...campaign, status: 'DRAFT', live: false };
          return drafted;
        },
      ),
    );
    const saved = vi.fn();
    await renderWithProviders(
      <CampaignEditor tenantId={tenantId} timeZone="America/Lima" campaign={null} onSaved={saved} />,
    );
    expect(screen.getByRole('heading', { name: 'Nueva campaña' })).toBeInTheDocument();

    // "Interés en una categoría": incomplete until a category is chosen, so nothing is counted yet.
    await userEvent.selectOptions(screen.getByLabelText('Nueva regla'), 'INTERESTED_IN');
    await userEvent.click(screen.getByRole('button', { name: 'Agregar regla' }));
    const rule1 = screen.getByRole('group', { name: 'Regla 1: Interés en una categoría' });
    expect(screen.getByText('Completa las reglas para ver a cuántos clientes llega.')).toBeInTheDocument();
    await userEvent.selectOptions(within(rule1).getByLabelText('Categoría'), 'GAMING');
    await userEvent.type(within(rule1).getByLabelText('En los últimos (días; vacío: siempre)'), '90');

    // A zone of the shop's branches, then consent; a rule added by mistake is removed.
    await userEvent.selectOptions(screen.getByLabelText('Nueva regla'), 'ZONE');
    await userEvent.click(screen.getByRole('button', { name: 'Agregar regla' }));
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Lima Centro' }));
    await userEvent.selectOptions(screen.getByLabelText('Nueva regla'), 'DORMANT');
    await userEvent.click(screen.getByRole('button', { name: 'Agregar regla' }));
    await userEvent.selectOptions(screen.getByLabelText('Nueva regla'), 'CONSENT');
    await userEvent.click(screen.getByRole('button', { name: 'Agregar regla' }));
    await userEvent.click(screen.getByRole('button', { name: 'Quitar la regla 3' }));
    expect(screen.getAllByTestId('segment-rule')).toHaveLength(3);

    const segment = {
      rules: [
        { rule: 'INTERESTED_IN', category: 'GAMING', withinDays: 90 },
        { rule: 'ZONE', zones: ['Lima Centro'] },
        { rule: 'CONSENT' },
      ],
    };
    await waitFor(() => expect(asked.at(-1)).toEqual({ segment }));
    // Debounced: asked about whole segments once typing paused, not at every change in between.
    expect(asked.length).toBeLessThan(6);
    expect(await screen.findByTestId('segment-count')).toHaveTextContent('128 contactos');
    expect(screen.getByText('Rosa Huamán')).toBeInTheDocument();
    expect(screen.getByText('Sin consentimiento')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText(/Nombre/), 'Cyber Wow gamer');
    await userEvent.type(screen.getByLabelText('Mensaje'), '15 % en gaming');
    await userEvent.type(screen.getByLabelText('Inicio'), '2026-11-01T00:00');
    await userEvent.type(screen.getByLabelText('Fin'), '2026-12-01T00:00');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar campaña' }));

    await waitFor(() => expect(saved).toHaveBeenCalled());
    expect(created).toHaveLength(1);
    expect(created[0]).toEqual({
      tenantId,
      type: 'CATEGORY',
      name: 'Cyber Wow gamer',
      messageTemplate: '15 % en gaming',
      // Midnight in Lima (UTC-5).
      startAt: '2026-11-01T05:00:00.000Z',
      endAt: '2026-12-01T05:00:00.000Z',
      segment,
    });
  });

  it('does not save an incomplete rule, and puts the API’s field errors on their fields', async () => {
    const patches: unknown[] = [];
    serveCampaignScreens(
      previewing(),
      sending(
        'patch',
        '/campaigns/:id',
        { body: updateCampaignBody, schema: campaignSchema },
        (_body, { sent }) => {
          patches.push(sent);
          return problem(422, {
            type: 'x',
            title: 'Unprocessable',
            code: 'UNPROCESSABLE',
            detail: 'segment.rules.1.branchIds: every branch must be one of this shop',
            errors: [
              {
                path: 'segment.rules.1.branchIds',
                message: 'every branch must be one of this shop',
                code: 'NOT_FOUND_IN_SHOP',
              },
            ],
          });
        },
      ),
    );
    const draft: Campaign = {
      ...campaign,
      status: 'DRAFT',
      segment: {
        rules: [
          { rule: 'INTERESTED_IN', category: 'GAMING', withinDays: 90 },
          { rule: 'BRANCH', branchIds: ['0190f0f0-0000-7000-8000-0000000000b9'] },
        ],
      },
    };
    await renderWithProviders(
      <CampaignEditor tenantId={tenantId} timeZone="America/Lima" campaign={draft} />,
    );
    expect(screen.getByLabelText(/Nombre/)).toHaveValue('Cyber Wow gamer');
    expect(screen.getByLabelText('Tipo')).toBeDisabled();
    expect(screen.getByLabelText('Inicio')).toHaveValue('2026-11-01T00:00');

    await userEvent.selectOptions(screen.getByLabelText('Nueva regla'), 'VIEWED');
    await userEvent.click(screen.getByRole('button', { name: 'Agregar regla' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar campaña' }));
    expect(screen.getByText('Completa las reglas del segmento antes de guardar.')).toBeInTheDocument();
    expect(screen.getByText('Falta elegir la categoría')).toBeInTheDocument();
    expect(patches).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Quitar la regla 3' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar campaña' }));
    const rule2 = screen.getByRole('group', { name: 'Regla 2: Sucursal' });
    expect(await within(rule2).findByText('No existe en tu tienda o ya no está activo')).toBeInTheDocument();
    expect(screen.getByText('Revisa los campos marcados.')).toBeInTheDocument();
    expect(patches).toEqual([
      {
        name: 'Cyber Wow gamer',
        startAt: '2026-11-01T05:00:00.000Z',
        endAt: '2026-12-01T05:00:00.000Z',
        segment: draft.segment,
        messageTemplate: '¡Hola {name}! 15 % en gaming',
        version: 3,
      },
    ]);
  });
});
