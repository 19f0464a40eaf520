import {
  type Branch,
  branchSchema,
  channelTestResultSchema,
  type WhatsappChannel,
  type WhatsappTemplate,
  whatsappChannelBody,
  whatsappChannelListSchema,
  whatsappChannelSchema,
  whatsappTemplateListSchema,
} from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { deleting, getting, listing, posting, problem, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { WhatsappPanel } from './whatsapp-panel';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const miraflores = '0190f0f0-0000-7000-8000-000000000003';
const surco = '0190f0f0-0000-7000-8000-000000000004';
const branch = (id: string, name: string): Branch => ({
  id,
  tenantId,
  name,
  whatsappPhone: '+51987654321',
  countryCode: 'PE',
  zone: null,
  timezone: 'America/Lima',
  businessHours: {},
  active: true,
  createdAt: '2026-11-26T15:00:00.000Z',
  updatedAt: '2026-11-26T15:00:00.000Z',
  version: 1,
});
const channel: WhatsappChannel = {
  id: '0190f0f0-0000-7000-8000-000000000010',
  tenantId,
  branchId: miraflores,
  phoneNumberId: '106540352242922',
  businessAccountId: '102290129340398',
  displayPhoneNumber: null,
  verifiedName: null,
  qualityRating: null,
  status: 'PENDING',
  lastError: null,
  lastTestedAt: null,
  createdAt: '2026-11-26T15:00:00.000Z',
  updatedAt: '2026-11-26T15:00:00.000Z',
};
const template: WhatsappTemplate = {
  id: '0190f0f0-0000-7000-8000-000000000020',
  name: 'seguimiento_oferta',
  language: 'es',
  status: 'APPROVED',
  category: 'MARKETING',
  bodyText: 'Hola {{1}}',
  variableCount: 1,
  components: [],
  syncedAt: '2026-11-26T15:00:00.000Z',
};

type Call = { method: string; url: string; body: unknown };
const channelPath = `/tenants/${tenantId}/branches/:branchId/whatsapp-channel`;
const channelUrl = (branchId: unknown, tail = '') =>
  `/api/v1/tenants/${tenantId}/branches/${String(branchId)}/whatsapp-channel${tail}`;

/**
 * The API: Miraflores connected (with one template), Surco not; writes are recorded (as the web sent them) and
 * a PUT may be refused by `refuse`.
 */
function serveChannels(refuse: (call: Call) => Response | undefined = () => undefined) {
  const calls: Call[] = [];
  let current = channel;
  server.use(
    listing(`/tenants/${tenantId}/branches`, branchSchema, [
      branch(miraflores, 'Miraflores'),
      branch(surco, 'Surco'),
    ]),
    getting(`/tenants/${tenantId}/whatsapp-channels`, whatsappChannelListSchema, () => ({
      items: [current],
    })),
    getting(`${channelPath}/templates`, whatsappTemplateListSchema, ({ params }) =>
      params.branchId === surco ? problem(404) : { items: [template] },
    ),
    sending(
      'put',
      channelPath,
      { body: whatsappChannelBody, schema: whatsappChannelSchema },
      (_body, { params, sent }) => {
        const call = { method: 'PUT', url: channelUrl(params.branchId), body: sent };
        calls.push(call);
        return refuse(call) ?? current;
      },
    ),
    posting(`${channelPath}/test`, channelTestResultSchema, ({ params }) => {
      calls.push({ method: 'POST', url: channelUrl(params.branchId, '/test'), body: null });
      current = {
        ...channel,
        status: 'CONNECTED',
        displayPhoneNumber: '+51 987 654 321',
        verifiedName: 'TechMarket Miraflores',
        qualityRating: 'GREEN',
        lastTestedAt: '2026-11-26T16:00:00.000Z',
      };
      return {
        displayPhoneNumber: '+51 987 654 321',
        verifiedName: 'TechMarket Miraflores',
        qualityRating: 'GREEN',
        channel: current,
      };
    }),
    posting(`${channelPath}/templates/sync`, whatsappTemplateListSchema, ({ params }) => {
      calls.push({ method: 'POST', url: channelUrl(params.branchId, '/templates/sync'), body: null });
      return {
        items: [
          template,
          {
            ...template,
            id: `${template.id.slice(0, -2)}21`,
            name: 'bienvenida',
            language: 'pt_BR',
            status: 'PENDING',
          },
        ],
      };
    }),
    deleting(channelPath, ({ params }) => {
      calls.push({ method: 'DELETE', url: channelUrl(params.branchId), body: null });
      return undefined;
    }),
  );
  return calls;
}

const card = async (branchId: string) => screen.findByTestId(`branch-channel-${branchId}`);

describe('WhatsappPanel, the owner', () => {
  it('connects a number with write-only secrets, and shows a 400 under the field it names', async () => {
    // The form checks what the contract checks; the API also asks Meta, which refuses this token.
    const calls = serveChannels((call) =>
      call.method === 'PUT' && calls.length === 1
        ? problem(400, {
            code: 'VALIDATION',
            errors: [
              {
                path: 'body.accessToken',
                message: 'Meta does not accept this access token',
                code: 'PROVIDER_REFUSED',
              },
            ],
          })
        : undefined,
    );
    await renderWithProviders(<WhatsappPanel tenantId={tenantId} canEdit />);
    expect(await screen.findByTestId('webhook-url')).toHaveTextContent(/\/api\/v1\/webhooks\/whatsapp$/);
    const surcoCard = within(await card(surco));
    const token = await surcoCard.findByLabelText(/Token de acceso/);
    expect(token).toHaveAttribute('type', 'password');
    // Pasted, as these values are copied from Meta's WhatsApp Manager (typing them key by key is slow).
    const paste = async (field: HTMLElement, text: string) => {
      await userEvent.click(field);
      await userEvent.paste(text);
    };
    await paste(surcoCard.getByLabelText(/ID del número/), '106540352242922');
    await paste(surcoCard.getByLabelText(/ID de la cuenta/), '102290129340398');
    await paste(token, 'EAAG-short');
    await paste(surcoCard.getByLabelText(/Secreto de la app/), '0123456789abcdef');
    await paste(surcoCard.getByLabelText(/Token de verificación/), 'verify-surco-123456');
    await userEvent.click(surcoCard.getByRole('button', { name: 'Conectar número' }));
    // Too short for the contract: said under the token before anything is sent.
    const short = await surcoCard.findByText('Escribe al menos 20 caracteres');
    expect(short.closest('[class*="InputWrapper-root"]')).toContainElement(token);
    expect(calls).toHaveLength(0);

    await paste(token, '0123456789');
    await userEvent.click(surcoCard.getByRole('button', { name: 'Conectar número' }));
    // Under the access token, not elsewhere.
    const message = await surcoCard.findByText(
      'WhatsApp (Meta) lo rechazó: Meta does not accept this access token',
    );
    expect(message.closest('[class*="InputWrapper-root"]')).toContainElement(token);
    expect(surcoCard.queryByRole('alert')).not.toBeInTheDocument();
    expect(calls[0]).toEqual({
      method: 'PUT',
      url: `/api/v1/tenants/${tenantId}/branches/${surco}/whatsapp-channel`,
      body: {
        phoneNumberId: '106540352242922',
        businessAccountId: '102290129340398',
        accessToken: 'EAAG-short0123456789',
        appSecret: '0123456789abcdef',
        verifyToken: 'verify-surco-123456',
      },
    });
  });

  it('tests the connection (display name and quality), lists the templates and syncs them', async () => {
    const calls = serveChannels();
    await renderWithProviders(<WhatsappPanel tenantId={tenantId} canEdit />);
    const connected = within(await card(miraflores));
    expect(await connected.findByText('Sin probar')).toBeInTheDocument();
    expect(connected.getByText('106540352242922')).toBeInTheDocument();
    // Secrets are never shown: no field holds them.
    expect(connected.queryByLabelText(/Token de acceso/)).not.toBeInTheDocument();
    expect(await connected.findByText('seguimiento_oferta')).toBeInTheDocument();

    await userEvent.click(connected.getByRole('button', { name: 'Probar conexión' }));
    expect(await connected.findByTestId('test-result')).toHaveTextContent(
      'Conexión correcta: TechMarket Miraflores · +51 987 654 321 · calidad Alta',
    );
    expect(await connected.findByText('Conectado')).toBeInTheDocument();

    await userEvent.click(connected.getByRole('button', { name: 'Sincronizar' }));
    const row = (await connected.findByText('bienvenida')).closest('tr') as HTMLElement;
    expect(within(row).getByText('pt_BR')).toBeInTheDocument();
    expect(within(row).getByText('PENDING')).toBeInTheDocument();
    expect(calls.map((c) => `${c.method} ${c.url.replace(/^.*whatsapp-channel/, '')}`)).toEqual([
      'POST /test',
      'POST /templates/sync',
    ]);

    await userEvent.click(connected.getByRole('button', { name: 'Desconectar' }));
    await userEvent.click(connected.getByRole('button', { name: 'Sí, desconectar' }));
    await waitFor(() => expect(calls.at(-1)?.method).toBe('DELETE'));
  });
});

describe('WhatsappPanel, a manager', () => {
  it('reads the channel and syncs templates, but cannot connect, test or disconnect', async () => {
    serveChannels();
    await renderWithProviders(<WhatsappPanel tenantId={tenantId} canEdit={false} />);
    const connected = within(await card(miraflores));
    expect(await connected.findByText('seguimiento_oferta')).toBeInTheDocument();
    expect(connected.getByRole('button', { name: 'Sincronizar' })).toBeInTheDocument();
    expect(connected.queryByRole('button', { name: 'Probar conexión' })).not.toBeInTheDocument();
    expect(connected.queryByRole('button', { name: 'Desconectar' })).not.toBeInTheDocument();
    const other = within(await card(surco));
    expect(await other.findByText('Sin número conectado.')).toBeInTheDocument();
    expect(other.queryByRole('button', { name: 'Conectar número' })).not.toBeInTheDocument();
  });
});
