import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { QuoteBuilder } from './quote-builder';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const leadId = '0190f0f0-0000-7000-8000-000000000001';
const listing = (id: string, title: string, price: number, stock = 5) => ({
  id,
  tenantId,
  branchId: null,
  title,
  category: 'LAPTOPS',
  price,
  currency: 'PEN',
  stock,
  sku: null,
  active: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
});
const laptop = listing('0190f0f0-0000-7000-8000-0000000000l1', 'Laptop Lenovo IdeaPad', 349900);
const mouse = listing('0190f0f0-0000-7000-8000-0000000000l2', 'Mouse Logitech', 5000, 1);

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('QuoteBuilder', () => {
  it('searches the catalog, shows a labelled estimate and creates the quote with the chosen lines', async () => {
    const calls: { url: string; body?: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input);
        calls.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
        if (url.includes('/listings'))
          return json({ items: url.includes('q=mouse') ? [mouse] : [laptop, mouse], nextCursor: null });
        if (url.endsWith('/create-quote')) return json({ id: '0190f0f0-0000-7000-8000-0000000000q1' }, 201);
        return json({}, 404);
      }),
    );
    await renderWithProviders(<QuoteBuilder leadId={leadId} tenantId={tenantId} initialListing={laptop} />);
    expect(screen.getAllByTestId('quote-line')).toHaveLength(1);

    await userEvent.type(screen.getByLabelText('Buscar en el catálogo'), 'mouse');
    await waitFor(() => expect(calls.some((c) => c.url.includes('q=mouse'))).toBe(true));
    await userEvent.click(await screen.findByRole('button', { name: 'Agregar Mouse Logitech' }));
    const quantity = screen.getByLabelText('Cantidad de Mouse Logitech');
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '2');

    expect(screen.getByText('Estimado (sin impuestos ni descuentos)')).toBeInTheDocument();
    // 3,499.00 + 2 × 50.00
    expect(screen.getByTestId('quote-estimate')).toHaveTextContent(/3[.,]599\.00/);
    const mouseLine = screen.getAllByTestId('quote-line')[1];
    expect(mouseLine && within(mouseLine).getByText(/Supera el stock/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Crear cotización' }));
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/create-quote'))).toBe(true));
    expect(calls.find((c) => c.url.endsWith('/create-quote'))?.body).toEqual({
      items: [
        { listingId: laptop.id, quantity: 1 },
        { listingId: mouse.id, quantity: 2 },
      ],
    });
  });

  it("puts the assistant's alternatives one tap away", async () => {
    const calls: { url: string; body?: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input);
        calls.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
        if (url.includes('/listings')) return json({ items: [], nextCursor: null });
        if (url.endsWith('/create-quote')) return json({ id: '0190f0f0-0000-7000-8000-0000000000q1' }, 201);
        return json({}, 404);
      }),
    );
    const alternative = {
      listingId: '0190f0f0-0000-7000-8000-0000000000l3',
      title: 'Laptop HP 15',
      price: 299900,
      currency: 'PEN' as const,
      why: 'Más barata, mismo procesador',
    };
    await renderWithProviders(
      <QuoteBuilder
        leadId={leadId}
        tenantId={tenantId}
        initialListing={laptop}
        alternatives={[alternative]}
      />,
    );
    expect(screen.getByText('Sugeridos por el asistente')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Agregar Laptop HP 15 (sugerido)' }));
    expect(screen.getAllByTestId('quote-line')).toHaveLength(2);
    // 3,499.00 + 2,999.00
    expect(screen.getByTestId('quote-estimate')).toHaveTextContent(/6[.,]498\.00/);
    // Its stock is not known here: no local warning (the server's quote warns if it must).
    expect(screen.queryByText(/Supera el stock/)).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Crear cotización' }));
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/create-quote'))).toBe(true));
    expect(calls.find((c) => c.url.endsWith('/create-quote'))?.body).toEqual({
      items: [
        { listingId: laptop.id, quantity: 1 },
        { listingId: alternative.listingId, quantity: 1 },
      ],
    });
  });
});
