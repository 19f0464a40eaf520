import { createListingBody, type Listing, listingSchema } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { listing, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { ListingsPanel } from './listings-panel';

const tenantId = '019ac0a1-0000-7000-8000-00000000cafe';
const path = `/tenants/${tenantId}/listings`;

/** The API: an empty catalog; each listing it is sent is recorded (after the contract accepted it). */
function mockApi() {
  const created: z.output<typeof createListingBody>[] = [];
  server.use(
    listing(path, listingSchema, []),
    sending('post', path, { body: createListingBody, schema: listingSchema }, (body): Listing => {
      created.push(body);
      return {
        ...body,
        id: '019ac0a1-0000-7000-8000-000000000001',
        tenantId,
        branchId: null,
        sku: null,
        active: true,
        createdAt: '2026-12-07T12:00:00.000Z',
        updatedAt: '2026-12-07T12:00:00.000Z',
        version: 1,
      };
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

describe('ListingsPanel', () => {
  it.each([
    ['CLP', '1.500.000', 1_500_000], // no decimals: the pesos as typed, not a hundred times more
    ['CLP', '899990', 899_990],
    ['PEN', '3499.50', 349_950],
    ['USD', '12,34', 1234],
    ['USD', '1,299.99', 129_999],
  ])('stores a %s price of %s as %i minor units', async (currency, typed, minor) => {
    const created = mockApi();
    await renderWithProviders(<ListingsPanel tenantId={tenantId} />);
    await addListing(typed, currency);
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]).toMatchObject({ title: 'Laptop', currency, price: minor });
  });

  it('refuses decimals in a currency that has none, and sends nothing', async () => {
    const created = mockApi();
    await renderWithProviders(<ListingsPanel tenantId={tenantId} />);
    await addListing('1500.50', 'CLP');
    expect(await screen.findByText('Importe no válido para esta moneda')).toBeInTheDocument();
    expect(created).toHaveLength(0);
  });

  it('asks for a title before sending', async () => {
    const created = mockApi();
    await renderWithProviders(<ListingsPanel tenantId={tenantId} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Nuevo producto' }));
    await userEvent.type(screen.getByLabelText(/Precio/), '10');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText('Completa este campo')).toBeInTheDocument();
    expect(created).toHaveLength(0);
  });
});
