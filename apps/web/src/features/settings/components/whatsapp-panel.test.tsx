import type { WhatsappChannel, WhatsappTemplate } from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { WhatsappPanel } from './whatsapp-panel';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const miraflores = '0190f0f0-0000-7000-8000-000000000003';
const surco = '0190f0f0-0000-7000-8000-000000000004';
const branch = (id: string, name: string) => ({
  id,
  tenantId,
  name,
  whatsappPhone: '+51987654321',
  timezone: 'America/Lima',
  active: true,
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

const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });
const notFound = () => json({ type: 'about:blank', title: 'Not Found', status: 404 }, 404);

type Call = { method: string; url: string; body: unknown };
/** The API: Miraflores connected (with one template), Surco not; writes are recorded and answered by `answer`. */
function stubApi(answer: (call: Call) => Response | undefined = () => undefined) {
  const calls: Call[] = [];
  let current = channel;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? 'GET';
      const call = { method, url, body: init?.body ? JSON.parse(String(init.body)) : null };
      if (method !== 'GET') {
        calls.push(call);
        const answered = answer(call);
        if (answered) return answered;
      }
      if (url.endsWith('/branches'))
        return json({ items: [branch(miraflores, 'Miraflores'), branch(surco, 'Surco')] });
      if (url.endsWith('/whatsapp-channels')) return json({ items: [current] });
      if (url.includes(surco)) return notFound();
      if (url.endsWith('/templates/sync'))
        return json({
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
        });
      if (url.endsWith('/templates')) return json({ items: [template] });
      if (url.endsWith('/test')) {
        current = {
          ...channel,
          status: 'CONNECTED',
          displayPhoneNumber: '+51 987 654 321',
          verifiedName: 'TechMarket Miraflores',
          qualityRating: 'GREEN',
          lastTestedAt: '2026-11-26T16:00:00.000Z',
        };
        return json({
          displayPhoneNumber: '+51 987 654 321',
          verifiedName: 'TechMarket Miraflores',
          qualityRating: 'GREEN',
          channel: current,
        });
      }
      return json(current);
    }),
  );
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

const card = async (branchId: string) => screen.findByTestId(`branch-channel-${branchId}`);

describe('WhatsappPanel, the owner', () => {
  it('connects a number with write-only secrets, and shows a 400 under the field it names', async () => {
    const calls = stubApi((call) =>
      call.method === 'PUT' && calls.length === 1
        ? json(
            {
              type: 'about:blank',
              title: 'Bad Request',
              status: 400,
              code: 'VALIDATION',
              errors: [{ path: 'body.accessToken', message: 'at least 20 characters' }],
            },
            400,
          )
        : undefined,
    );
    await renderWithProviders(<WhatsappPanel tenantId={tenantId} canEdit />);
    expect(await screen.findByTestId('webhook-url')).toHaveTextContent(/\/api\/v1\/webhooks\/whatsapp$/);
    const surcoCard = within(await card(surco));
    const token = await surcoCard.findByLabelText(/Token de acceso/);
    expect(token).toHaveAttribute('type', 'password');
    await userEvent.type(surcoCard.getByLabelText(/ID del número/), '106540352242922');
    await userEvent.type(surcoCard.getByLabelText(/ID de la cuenta/), '102290129340398');
    await userEvent.type(token, 'EAAG-short');
    await userEvent.type(surcoCard.getByLabelText(/Secreto de la app/), '0123456789abcdef');
    await userEvent.type(surcoCard.getByLabelText(/Token de verificación/), 'verify-surco-123456');
    await userEvent.click(surcoCard.getByRole('button', { name: 'Conectar número' }));
    // Under the access token, not elsewhere.
    const message = await surcoCard.findByText('at least 20 characters');
    expect(message.closest('[class*="InputWrapper-root"]')).toContainElement(token);
    expect(calls[0]).toEqual({
      method: 'PUT',
      url: `/api/v1/tenants/${tenantId}/branches/${surco}/whatsapp-channel`,
      body: {
        phoneNumberId: '106540352242922',
        businessAccountId: '102290129340398',
        accessToken: 'EAAG-short',
        appSecret: '0123456789abcdef',
        verifyToken: 'verify-surco-123456',
      },
    });
  });

  it('tests the connection (display name and quality), lists the templates and syncs them', async () => {
    const calls = stubApi();
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
    stubApi();
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
