import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { BranchesPanel } from './branches-panel';
import { LinksPanel } from './links-panel';
import { TeamPanel } from './team-panel';

const tenantId = '019ac0a1-0000-7000-8000-00000000cafe';
const branch = {
  id: '019ac0a1-0000-7000-8000-0000000000b1',
  tenantId,
  name: 'Miraflores',
  whatsappPhone: '+51987654321',
  zone: null,
  timezone: 'America/Lima',
  businessHours: null,
  active: true,
  version: 1,
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The API: lists answer `lists[path]` (empty otherwise); each POST is recorded and echoed back. */
function stubApi(lists: Record<string, unknown[]> = {}) {
  const posted: Record<string, unknown>[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input), 'http://localhost').pathname.split('/').pop() ?? '';
      if (init?.method !== 'POST') return json({ items: lists[path] ?? [], nextCursor: null });
      const body = JSON.parse(String(init.body));
      posted.push(body);
      return json({ ...body, user: body, invitationUrl: null, id: branch.id }, 201);
    }),
  );
  return posted;
}

afterEach(() => vi.unstubAllGlobals());

describe('settings forms on the contracts', () => {
  it('a branch: the time zone must be one, an empty area is not sent', async () => {
    const posted = stubApi();
    await renderWithProviders(<BranchesPanel tenantId={tenantId} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Nueva sucursal' }));
    await userEvent.type(screen.getByLabelText(/Nombre/), 'Surco');
    await userEvent.type(screen.getByLabelText(/WhatsApp/), '+51 987 654 321');
    const zone = screen.getByLabelText(/Zona horaria/);
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Lima');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText('Revisa este valor')).toBeInTheDocument();
    expect(posted).toHaveLength(0);

    await userEvent.clear(zone);
    await userEvent.type(zone, 'America/Lima');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ name: 'Surco', whatsappPhone: '+51 987 654 321', timezone: 'America/Lima' });
  });

  it('an invitation: a name and a valid e-mail first', async () => {
    const posted = stubApi();
    await renderWithProviders(<TeamPanel tenantId={tenantId} meId={branch.id} meRole="OWNER" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Invitar' }));
    await userEvent.type(screen.getByLabelText(/Correo/), 'ana@');
    await userEvent.click(screen.getAllByRole('button', { name: 'Invitar' }).at(-1) as HTMLElement);
    expect(await screen.findByText('Completa este campo')).toBeInTheDocument();
    expect(screen.getByText('Escribe un correo válido')).toBeInTheDocument();
    expect(posted).toHaveLength(0);

    await userEvent.type(screen.getByLabelText(/Nombre/), 'Ana');
    await userEvent.type(screen.getByLabelText(/Correo/), 'tienda.pe');
    await userEvent.click(screen.getAllByRole('button', { name: 'Invitar' }).at(-1) as HTMLElement);
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ name: 'Ana', email: 'ana@tienda.pe', role: 'SELLER', branchIds: [] });
  });

  it('a link: the first branch is chosen, an empty product and label are not sent', async () => {
    const posted = stubApi({ branches: [branch] });
    await renderWithProviders(<LinksPanel tenantId={tenantId} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Nuevo enlace' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ branchId: branch.id });
  });
});
