import {
  createQuickReplyBody,
  type QuickReply,
  quickReplySchema,
  updateQuickReplyBody,
} from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { listing, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { QuickRepliesPanel } from './quick-replies-panel';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const saludo: QuickReply = {
  id: '0190f0f0-0000-7000-8000-000000000011',
  tenantId,
  title: 'Saludo',
  text: 'Hola {nombre}',
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
  version: 3,
};

/** The API: the shop's replies; each write is recorded as the web sent it and answered as saved. */
function serveReplies(replies: QuickReply[]) {
  const writes: { method: string; path: string; body: unknown }[] = [];
  server.use(
    listing(`/tenants/${tenantId}/quick-replies`, quickReplySchema, replies),
    sending(
      'post',
      `/tenants/${tenantId}/quick-replies`,
      { body: createQuickReplyBody, schema: quickReplySchema },
      (body, { sent }) => {
        writes.push({ method: 'POST', path: `/tenants/${tenantId}/quick-replies`, body: sent });
        return { ...saludo, ...body };
      },
    ),
    sending(
      'patch',
      '/quick-replies/:id',
      { body: updateQuickReplyBody, schema: quickReplySchema },
      (body, { params, sent }) => {
        writes.push({ method: 'PATCH', path: `/quick-replies/${params.id}`, body: sent });
        return { ...saludo, ...body, version: body.version + 1 };
      },
    ),
  );
  return writes;
}

describe('QuickRepliesPanel', () => {
  it('creates a reply with a variable inserted, and edits one at the version read', async () => {
    const writes = serveReplies([saludo]);
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
      path: `/tenants/${tenantId}/quick-replies`,
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
      path: `/quick-replies/${saludo.id}`,
      body: { title: 'Saludo', text: 'Hola {nombre}, gracias', version: 3 },
    });
  });

  it('names an unknown variable before sending anything', async () => {
    const writes = serveReplies([]);
    await renderWithProviders(<QuickRepliesPanel tenantId={tenantId} />);
    expect(await screen.findByText('Aún no hay respuestas rápidas.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Nueva respuesta' }));
    await userEvent.type(await screen.findByLabelText(/Título/), 'Typo');
    await userEvent.type(screen.getByLabelText('Mensaje'), 'Hola {{nombr}');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(
      await screen.findByText('Variable desconocida: {nombr}. Usa {nombre}, {producto}, {precio}'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Mensaje')).toHaveAttribute('aria-invalid', 'true');
    expect(writes).toHaveLength(0);
  });
});
