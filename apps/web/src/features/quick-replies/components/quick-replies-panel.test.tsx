import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { QuickRepliesPanel } from './quick-replies-panel';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const saludo = {
  id: '0190f0f0-0000-7000-8000-000000000011',
  tenantId,
  title: 'Saludo',
  text: 'Hola {nombre}',
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
  version: 3,
};
const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

afterEach(() => vi.unstubAllGlobals());

describe('QuickRepliesPanel', () => {
  it('creates a reply with a variable inserted, and edits one at the version read', async () => {
    const writes: { method: string; url: string; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method && init.method !== 'GET') {
          writes.push({ method: init.method, url: String(input), body: JSON.parse(String(init.body)) });
          return json(200, saludo);
        }
        return json(200, { items: [saludo], nextCursor: null });
      }),
    );
    await renderWithProviders(<QuickRepliesPanel tenantId={tenantId} />);
    expect(await screen.findByText('Hola {nombre}')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Nueva respuesta' }));
    await userEvent.type(await screen.findByLabelText(/Título/), 'Precio');
    await userEvent.type(screen.getByLabelText('Mensaje'), 'El precio de ');
    await userEvent.click(screen.getByRole('button', { name: '{producto}' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]).toEqual({
      method: 'POST',
      url: `/api/v1/tenants/${tenantId}/quick-replies`,
      body: { title: 'Precio', text: 'El precio de {producto}' },
    });

    await userEvent.click(screen.getByRole('button', { name: 'Editar' }));
    const text = await screen.findByLabelText('Mensaje');
    await userEvent.clear(text);
    await userEvent.type(text, 'Hola {{nombre}, gracias');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(writes).toHaveLength(2));
    expect(writes[1]).toEqual({
      method: 'PATCH',
      url: `/api/v1/quick-replies/${saludo.id}`,
      body: { title: 'Saludo', text: 'Hola {nombre}, gracias', version: 3 },
    });
  });

  it('names an unknown variable before sending anything', async () => {
    const fetch = vi.fn(async () => json(200, { items: [], nextCursor: null }));
    vi.stubGlobal('fetch', fetch);
    await renderWithProviders(<QuickRepliesPanel tenantId={tenantId} />);
    expect(await screen.findByText('Aún no hay respuestas rápidas.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Nueva respuesta' }));
    await userEvent.type(await screen.findByLabelText(/Título/), 'Typo');
    await userEvent.type(screen.getByLabelText('Mensaje'), 'Hola {{nombr}');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText(/unknown variable/)).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
