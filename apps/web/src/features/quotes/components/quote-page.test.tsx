import type { Quote } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { QuoteView } from './quote-page';

const quote: Quote = {
  id: '0190f0f0-0000-7000-8000-0000000000q1',
  tenantId: '0190f0f0-0000-7000-8000-000000000002',
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  leadId: '0190f0f0-0000-7000-8000-000000000001',
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Huamán', phone: '+51987654321' },
  number: 42,
  status: 'DRAFT',
  currency: 'PEN',
  taxName: 'IGV',
  taxRateBps: 1800,
  pricesIncludeTax: true,
  subtotal: 160932,
  discount: 0,
  tax: 28968,
  total: 189900,
  validUntil: '2026-12-03T04:59:59.000Z',
  notes: null,
  createdByUserId: null,
  sentAt: null,
  decidedAt: null,
  rejectionReason: null,
  items: [
    {
      id: '0190f0f0-0000-7000-8000-0000000000i1',
      position: 1,
      listingId: '0190f0f0-0000-7000-8000-0000000000l1',
      title: 'Laptop Lenovo IdeaPad',
      sku: null,
      quantity: 1,
      unitPrice: 189900,
      discount: 0,
      subtotal: 160932,
      tax: 28968,
      total: 189900,
      stockAtQuote: 12,
    },
  ],
  warnings: [],
  createdAt: '2026-11-26T15:00:00.000Z',
  updatedAt: '2026-11-26T15:00:00.000Z',
  version: 1,
};
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('QuoteView', () => {
  it("shows the server's totals and the PDF link, and sending opens the WhatsApp link it returns", async () => {
    const wa = 'https://wa.me/51987654321?text=Hola';
    let current: Quote = quote;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'POST') {
          expect(String(input)).toBe(`/api/v1/quotes/${quote.id}/send`);
          current = { ...quote, status: 'SENT', version: 2 };
          return json({
            quote: current,
            pdfUrl: 'https://x/q/abc',
            pdfUrlExpiresAt: '2026-12-03T00:00:00.000Z',
            whatsappUrl: wa,
            message: 'Hola',
          });
        }
        return json(current);
      }),
    );
    const open = vi.fn();
    vi.stubGlobal('open', open);
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    expect(await screen.findByText('N.º 000042')).toBeInTheDocument();
    expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 1,899.00');
    expect(screen.getByText('Impuesto (IGV)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ver PDF' })).toHaveAttribute(
      'href',
      `/api/v1/quotes/${quote.id}/pdf`,
    );
    expect(screen.getByText('Borrador')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(open).toHaveBeenCalledWith(wa, '_blank', 'noopener,noreferrer'));
    expect(await screen.findByText('Enviada')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Abrir WhatsApp' })).toHaveAttribute('href', wa);
  });

  it('records the customer accepting a quote', async () => {
    const patches: unknown[] = [];
    let current: Quote = { ...quote, status: 'SENT', version: 2 };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'PATCH') {
          expect(String(input)).toBe(`/api/v1/quotes/${quote.id}`);
          patches.push(JSON.parse(String(init.body)));
          current = { ...current, status: 'ACCEPTED', version: 3 };
        }
        return json(current);
      }),
    );
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Aceptó' }));
    expect(await screen.findByText('Aceptada')).toBeInTheDocument();
    expect(patches).toEqual([{ status: 'ACCEPTED', version: 2 }]);
    // Decided: no more sending or deciding.
    expect(screen.queryByRole('button', { name: 'Enviar' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rechazó' })).toBeNull();
  });

  it('asks why before recording a rejection, and shows the reason', async () => {
    const patches: unknown[] = [];
    let current: Quote = { ...quote, status: 'SENT', version: 2 };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'PATCH') {
          const body = JSON.parse(String(init.body));
          patches.push(body);
          current = { ...current, status: 'REJECTED', rejectionReason: body.lostReason, version: 3 };
        }
        return json(current);
      }),
    );
    await renderWithProviders(<QuoteView quoteId={quote.id} timeZone="America/Lima" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Rechazó' }));
    const confirm = await screen.findByRole('button', { name: 'Confirmar' });
    expect(confirm).toBeDisabled();
    expect(patches).toEqual([]);
    await userEvent.click(screen.getByRole('radio', { name: 'Precio' }));
    await userEvent.click(confirm);
    expect(await screen.findByText('Rechazada: Precio')).toBeInTheDocument();
    expect(patches).toEqual([{ status: 'REJECTED', lostReason: 'PRICE', version: 2 }]);
  });
});
