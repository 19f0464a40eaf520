import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { ListingsPanel } from './listings-panel';

const tenantId = '019ac0a1-0000-7000-8000-00000000cafe';
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The API: an empty catalog; each POST is recorded and answered as created. */
function stubApi() {
  const created: Record<string, unknown>[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method !== 'POST') return json({ items: [], nextCursor: null });
      const body = JSON.parse(String(init.body));
      created.push(body);
      return json({ ...body, id: '019ac0a1-0000-7000-8000-000000000001', active: true, version: 1 }, 201);
    }),
  );
  return created;
}

async function addListing(price: string, currency: string) {
  await userEvent.click(await screen.findByRole('button', { name: 'Nuevo producto' }));
  await userEvent.type(screen.getByLabelText(/Título/), 'Laptop');
  await userEvent.click(screen.getByRole('combobox', { name: 'Moneda' }));
  await userEvent.click(screen.getByRole('option', { name: currency }));
  await userEvent.type(screen.getByLabelText(/Precio/), price);
  await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('ListingsPanel', () => {
  it.each([
    ['CLP', '1.500.000', 1_500_000], // no decimals: the pesos as typed, not a hundred times more
    ['CLP', '899990', 899_990],
    ['PEN', '3499.50', 349_950],
    ['USD', '12,34', 1234],
    ['USD', '1,299.99', 129_999],
  ])('stores a %s price of %s as %i minor units', async (currency, typed, minor) => {
    const created = stubApi();
    await renderWithProviders(<ListingsPanel tenantId={tenantId} />);
    await addListing(typed, currency);
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]).toMatchObject({ title: 'Laptop', currency, price: minor });
  });

  it('refuses decimals in a currency that has none, and sends nothing', async () => {
    const created = stubApi();
    await renderWithProviders(<ListingsPanel tenantId={tenantId} />);
    await addListing('1500.50', 'CLP');
    expect(await screen.findByText('Importe no válido para esta moneda')).toBeInTheDocument();
    expect(created).toHaveLength(0);
  });

  it('asks for a title before sending', async () => {
    const created = stubApi();
    await renderWithProviders(<ListingsPanel tenantId={tenantId} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Nuevo producto' }));
    await userEvent.type(screen.getByLabelText(/Precio/), '10');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText('Completa este campo')).toBeInTheDocument();
    expect(created).toHaveLength(0);
  });
});
