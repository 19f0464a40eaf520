import {
  type CommerceSettings,
  commerceSettingsSchema,
  createQuoteBody,
  type Listing,
  listingSchema,
  page,
  quoteSchema,
} from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting, sending } from '../../../test/mocks/api';
import { aQuote } from '../../../test/mocks/fixtures';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { QuoteBuilder } from './quote-builder';

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const leadId = '0190f0f0-0000-7000-8000-000000000001';
const listing = (id: string, title: string, price: number, stock = 5, currency = 'PEN'): Listing => ({
  id,
  tenantId,
  branchId: null,
  title,
  category: 'LAPTOPS',
  price,
  currency,
  stock,
  sku: null,
  active: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
});
const laptop = listing('0190f0f0-0000-7000-8000-0000000000f1', 'Laptop Lenovo IdeaPad', 349900);
const mouse = listing('0190f0f0-0000-7000-8000-0000000000f2', 'Mouse Logitech', 5000, 1);
const phone = listing('0190f0f0-0000-7000-8000-0000000000f4', 'Samsung Galaxy S24', 249900);
const router = listing('0190f0f0-0000-7000-8000-0000000000f5', 'Router TP-Link', 12000, 3, 'USD');
const tv = listing('0190f0f0-0000-7000-8000-0000000000f6', 'TV LG 55"', 999900, 2, 'MXN');

/** Peru: IGV 18 %, inside the prices. */
const peru: CommerceSettings = {
  currency: 'PEN',
  taxName: 'IGV',
  taxRateBps: 1800,
  pricesIncludeTax: true,
  quoteValidDays: 7,
  slaHours: { HIGH: 4, MEDIUM: 24, LOW: 48 },
  customized: false,
};
/** A shop whose prices do not include its IVA of 16 %. */
const ivaAdded: CommerceSettings = {
  ...peru,
  currency: 'MXN',
  taxName: 'IVA',
  taxRateBps: 1600,
  pricesIncludeTax: false,
};

/** The API: the catalog search answers `search(url)`, the shop's rule `settings`; records every request. */
function stubApi({
  search = () => [laptop, mouse],
  settings = peru,
}: {
  search?: (url: string) => Listing[];
  settings?: CommerceSettings;
}) {
  const bodies: unknown[] = [];
  server.use(
    getting(`/tenants/${tenantId}/commerce-settings`, commerceSettingsSchema, () => settings),
    getting(`/tenants/${tenantId}/listings`, page(listingSchema), ({ url }) => ({
      items: search(url.toString()),
      nextCursor: null,
    })),
    sending(
      'post',
      `/leads/${leadId}/create-quote`,
      { body: createQuoteBody, schema: quoteSchema },
      (_body, { sent }) => {
        bodies.push(sent);
        return aQuote({ leadId });
      },
    ),
  );
  const requests = recordRequests();
  const created = async () => {
    await waitFor(() => expect(bodies).toHaveLength(1));
    return bodies[0];
  };
  return { requests, created };
}

const setQuantity = async (title: string, quantity: string) => {
  const input = screen.getByLabelText(`Cantidad de ${title}`);
  await userEvent.clear(input);
  await userEvent.type(input, quantity);
};

describe('QuoteBuilder', () => {
  it("keeps a half-made quote as the user's draft for the lead, back after a reload, and forgets it once created", async () => {
    const { created } = stubApi({});
    const userId = '0190f0f0-0000-7000-8000-0000000000a1';
    const first = await renderWithProviders(
      <QuoteBuilder leadId={leadId} tenantId={tenantId} userId={userId} canSetPrices={false} />,
    );
    await userEvent.type(screen.getByLabelText('Buscar en el catálogo'), 'mouse');
    await userEvent.click(await screen.findByRole('button', { name: 'Agregar Mouse Logitech' }));
    await userEvent.type(screen.getByLabelText('Notas para el cliente'), 'Entrega el lunes');
    first.unmount();

    // The page reloaded: the same lines and notes. Another user of this browser starts from nothing.
    const other = await renderWithProviders(
      <QuoteBuilder leadId={leadId} tenantId={tenantId} userId="someone-else" canSetPrices={false} />,
    );
    expect(screen.queryAllByTestId('quote-line')).toHaveLength(0);
    other.unmount();
    await renderWithProviders(
      <QuoteBuilder leadId={leadId} tenantId={tenantId} userId={userId} canSetPrices={false} />,
    );
    expect(screen.getAllByTestId('quote-line')).toHaveLength(1);
    expect(screen.getByLabelText('Notas para el cliente')).toHaveValue('Entrega el lunes');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Crear cotización' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Crear cotización' }));
    expect(await created()).toMatchObject({ notes: 'Entrega el lunes' });
    await waitFor(() =>
      expect(Object.keys(localStorage).filter((k) => k.startsWith('tm-draft:'))).toEqual([]),
    );
  });

  it('searches the catalog and creates the quote with the chosen lines; a seller sets no price or discount', async () => {
    const { requests, created } = stubApi({
      search: (url) => (url.includes('q=mouse') ? [mouse] : [laptop, mouse]),
    });
    await renderWithProviders(
      <QuoteBuilder leadId={leadId} tenantId={tenantId} canSetPrices={false} initialListing={laptop} />,
    );
    expect(screen.getAllByTestId('quote-line')).toHaveLength(1);

    await userEvent.type(screen.getByLabelText('Buscar en el catálogo'), 'mouse');
    await waitFor(() => expect(requests.some((r) => r.path.includes('q=mouse'))).toBe(true));
    await userEvent.click(await screen.findByRole('button', { name: 'Agregar Mouse Logitech' }));
    await setQuantity('Mouse Logitech', '2');

    // 3,499.00 + 2 × 50.00, IGV inside: 2,965.25 + 84.75 before it (each line rounded), 533.75 + 15.25 of it.
    expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 3,599.00');
    expect(screen.getByTestId('quote-subtotal')).toHaveTextContent('S/ 3,050.00');
    expect(screen.getByTestId('quote-tax')).toHaveTextContent('S/ 549.00');
    const mouseLine = screen.getAllByTestId('quote-line')[1];
    expect(mouseLine && within(mouseLine).getByText(/Supera el stock/)).toBeInTheDocument();
    expect(mouseLine).toHaveTextContent('S/ 100.00');
    // A seller quotes at catalog prices: no price or discount to type.
    expect(screen.queryByLabelText(/^Precio unitario de/)).toBeNull();
    expect(screen.queryByLabelText(/^Descuento de/)).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Crear cotización' }));
    expect(await created()).toEqual({
      items: [
        { listingId: laptop.id, quantity: 1 },
        { listingId: mouse.id, quantity: 2 },
      ],
    });
  });

  it('shows the totals of a shop whose prices include the tax, as the server computes them', async () => {
    stubApi({ search: () => [] });
    await renderWithProviders(
      <QuoteBuilder leadId={leadId} tenantId={tenantId} canSetPrices={false} initialListing={phone} />,
    );
    await setQuantity(phone.title, '2');
    // By hand: 2 × 2,499.00 = 4,998.00 with IGV inside; 4,998.00 / 1.18 = 4,235.593… -> 4,235.59; IGV the rest.
    await waitFor(() => expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 4,998.00'));
    expect(screen.getByTestId('quote-subtotal')).toHaveTextContent('S/ 4,235.59');
    expect(screen.getByTestId('quote-tax')).toHaveTextContent('S/ 762.41');
    expect(screen.getByText(/^IGV 18\s?%$/)).toBeInTheDocument();
    expect(screen.getByText('Los precios incluyen IGV.')).toBeInTheDocument();
    expect(screen.queryByTestId('quote-discount')).toBeNull();
  });

  it('shows the totals of a shop that adds the tax to its prices', async () => {
    stubApi({ search: () => [], settings: ivaAdded });
    await renderWithProviders(
      <QuoteBuilder leadId={leadId} tenantId={tenantId} canSetPrices={false} initialListing={tv} />,
    );
    // By hand: 1 × $9,999.00; IVA 16 % = 1,599.84 on top; total 11,598.84.
    await waitFor(() => expect(screen.getByTestId('quote-total')).toHaveTextContent('$11,598.84'));
    expect(screen.getByTestId('quote-subtotal')).toHaveTextContent('$9,999.00');
    expect(screen.getByTestId('quote-tax')).toHaveTextContent('$1,599.84');
    expect(screen.getByText(/^IVA 16\s?%$/)).toBeInTheDocument();
    expect(screen.getByText('Los precios no incluyen IVA; se suma al subtotal.')).toBeInTheDocument();
  });

  it("lets a manager set a line's price and discount, typed in soles, and the totals follow", async () => {
    const { created } = stubApi({ search: () => [] });
    await renderWithProviders(
      <QuoteBuilder leadId={leadId} tenantId={tenantId} canSetPrices initialListing={phone} />,
    );
    await setQuantity(phone.title, '2');
    await waitFor(() => expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 4,998.00'));

    const discount = screen.getByLabelText(`Descuento de ${phone.title}`);
    await userEvent.type(discount, '100');
    // 4,998.00 − 100.00 = 4,898.00 with IGV inside: 4,898.00 / 1.18 = 4,150.847… -> 4,150.85; IGV 747.15.
    expect(screen.getByTestId('quote-discount')).toHaveTextContent('−S/ 100.00');
    expect(screen.getByTestId('quote-subtotal')).toHaveTextContent('S/ 4,150.85');
    expect(screen.getByTestId('quote-tax')).toHaveTextContent('S/ 747.15');
    expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 4,898.00');

    // A discount larger than the line is refused here, before the server would.
    await userEvent.clear(discount);
    await userEvent.type(discount, '5000');
    expect(screen.getByText('Supera el importe de la línea')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Crear cotización' })).toBeDisabled();
    await userEvent.clear(discount);
    await userEvent.type(discount, '100');

    // Another unit price, with the thousands separator: 2 × 2,400.50 − 100.00 = 4,701.00;
    // 4,701.00 / 1.18 = 3,983.898… -> 3,983.90; IGV 717.10.
    await userEvent.type(screen.getByLabelText(`Precio unitario de ${phone.title}`), '2,400.50');
    expect(screen.getByTestId('quote-subtotal')).toHaveTextContent('S/ 3,983.90');
    expect(screen.getByTestId('quote-tax')).toHaveTextContent('S/ 717.10');
    expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 4,701.00');

    await userEvent.click(screen.getByRole('button', { name: 'Crear cotización' }));
    expect(await created()).toEqual({
      items: [{ listingId: phone.id, quantity: 2, unitPrice: 240050, discount: 10000 }],
    });
  });

  it('refuses, with the reason, a listing in another currency than the lines already chosen', async () => {
    stubApi({ search: () => [mouse, router] });
    const alternative = {
      listingId: '0190f0f0-0000-7000-8000-0000000000f7',
      title: 'Router Asus',
      price: 9900,
      currency: 'USD' as const,
      why: 'Mejor cobertura',
    };
    await renderWithProviders(
      <QuoteBuilder
        leadId={leadId}
        tenantId={tenantId}
        canSetPrices={false}
        initialListing={laptop}
        alternatives={[alternative]}
      />,
    );
    const refused = await screen.findByRole('button', { name: 'Agregar Router TP-Link' });
    expect(refused).toBeDisabled();
    expect(refused).toHaveAccessibleDescription('En USD; esta cotización es en PEN');
    const suggested = screen.getByRole('button', { name: 'Agregar Router Asus (sugerido)' });
    expect(suggested).toBeDisabled();
    expect(suggested).toHaveAccessibleDescription('En USD; esta cotización es en PEN');
    expect(screen.getByRole('button', { name: 'Agregar Mouse Logitech' })).toBeEnabled();

    // With the soles line gone, the quote may be in dollars.
    await userEvent.click(screen.getByRole('button', { name: `Quitar ${laptop.title}` }));
    expect(screen.getByRole('button', { name: 'Agregar Router TP-Link' })).toBeEnabled();
  });

  it("puts the assistant's alternatives one tap away", async () => {
    const { created } = stubApi({ search: () => [] });
    const alternative = {
      listingId: '0190f0f0-0000-7000-8000-0000000000f3',
      title: 'Laptop HP 15',
      price: 299900,
      currency: 'PEN' as const,
      why: 'Más barata, mismo procesador',
    };
    await renderWithProviders(
      <QuoteBuilder
        leadId={leadId}
        tenantId={tenantId}
        canSetPrices={false}
        initialListing={laptop}
        alternatives={[alternative]}
      />,
    );
    expect(screen.getByText('Sugeridos por el asistente')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Agregar Laptop HP 15 (sugerido)' }));
    expect(screen.getAllByTestId('quote-line')).toHaveLength(2);
    // 3,499.00 + 2,999.00
    await waitFor(() => expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 6,498.00'));
    // Its stock is not known here: no local warning (the server's quote warns if it must).
    expect(screen.queryByText(/Supera el stock/)).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Crear cotización' }));
    expect(await created()).toEqual({
      items: [
        { listingId: laptop.id, quantity: 1 },
        { listingId: alternative.listingId, quantity: 1 },
      ],
    });
  });

  it("quotes a ticket with a labour line typed by hand, priced in the shop's currency", async () => {
    const ticketId = '0190f0f0-0000-7000-8000-0000000000c1';
    const bodies: unknown[] = [];
    stubApi({});
    server.use(
      sending(
        'post',
        `/tickets/${ticketId}/create-quote`,
        { body: createQuoteBody, schema: quoteSchema },
        (_body, { sent }) => {
          bodies.push(sent);
          return aQuote({ leadId, ticketId });
        },
      ),
    );
    await renderWithProviders(<QuoteBuilder ticketId={ticketId} tenantId={tenantId} canSetPrices={false} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Agregar Mouse Logitech' }));
    await userEvent.type(screen.getByLabelText('Mano de obra u otro concepto'), 'Cambio de pantalla');
    await userEvent.type(screen.getByLabelText('Precio'), '80');
    await userEvent.click(screen.getByRole('button', { name: 'Añadir línea' }));
    expect(screen.getAllByTestId('quote-line')).toHaveLength(2);
    // 50.00 + 80.00, IGV inside.
    expect(screen.getByTestId('quote-total')).toHaveTextContent('S/ 130.00');
    await userEvent.click(screen.getByRole('button', { name: 'Crear cotización' }));
    await waitFor(() =>
      expect(bodies).toEqual([
        {
          items: [
            { listingId: mouse.id, quantity: 1 },
            { title: 'Cambio de pantalla', quantity: 1, unitPrice: 8000 },
          ],
        },
      ]),
    );
  });
});
