import { type QuickReply, quickReplySchema } from '@techmarket/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { listing } from '../../../test/mocks/api';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { quickReplyValues, unfilledVariables } from '../lib/fill-from-lead';
import { QuickReplyPicker } from './quick-reply-picker';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const reply = (n: number, title: string, text: string): QuickReply => ({
  id: `0190f0f0-0000-7000-8000-00000000001${n}`,
  tenantId,
  title,
  text,
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
  version: 1,
});
/** The shop's quick replies, as GET /tenants/{id}/quick-replies lists them. */
const serveReplies = (replies: QuickReply[]) => {
  server.use(listing(`/tenants/${tenantId}/quick-replies`, quickReplySchema, replies));
  return recordRequests();
};
const lead = {
  tenantId,
  contact: { name: 'Rosa Huamán' },
  listing: { title: 'Laptop Lenovo IdeaPad 3', price: 249900, currency: 'PEN' },
};

describe('QuickReplyPicker', () => {
  it("lists the shop's replies and hands back the chosen one filled from the lead", async () => {
    const requests = serveReplies([
      reply(1, 'Saludo', 'Hola {nombre}, {producto} está a {precio}.'),
      reply(2, 'Horario', 'Atendemos de 9 a 8.'),
    ]);
    const onPick = vi.fn();
    await renderWithProviders(<QuickReplyPicker lead={lead} onPick={onPick} />);
    // Nothing is asked until the seller opens it.
    expect(requests).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Respuestas rápidas' }));
    await userEvent.click(await screen.findByText('Saludo'));
    expect(onPick).toHaveBeenCalledTimes(1);
    // Intl writes "S/" and the amount apart with a no-break space.
    expect(String(onPick.mock.calls[0]?.[0]).replace(/\s/g, ' ')).toBe(
      'Hola Rosa, Laptop Lenovo IdeaPad 3 está a S/ 2,499.00.',
    );
    expect(requests[0]?.path).toContain(`/api/v1/tenants/${tenantId}/quick-replies`);
  });

  it('says so when the shop has none', async () => {
    serveReplies([]);
    await renderWithProviders(<QuickReplyPicker lead={lead} onPick={vi.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Respuestas rápidas' }));
    expect(await screen.findByText(/aún no tiene respuestas rápidas/)).toBeInTheDocument();
  });
});

describe('quickReplyValues', () => {
  it("writes the price in the listing's currency, and leaves what the lead lacks", () => {
    expect(
      quickReplyValues(
        { contact: { name: 'Ana' }, listing: { title: 'Refrigerador', price: 1299900, currency: 'MXN' } },
        'es-419',
      ),
    ).toEqual({ name: 'Ana', product: 'Refrigerador', price: '$12,999.00' });
    expect(quickReplyValues({ contact: { name: null }, listing: null }, 'es-419')).toEqual({
      name: null,
      product: null,
      price: null,
    });
    expect(unfilledVariables('Hola Ana, {producto} a {precio} {otra}')).toEqual(['{producto}', '{precio}']);
  });
});
