import {
  branchSchema,
  createLeadBody,
  type Lead,
  leadSchema,
  listingSchema,
  meResponse,
} from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { listing, sending } from '../../../test/mocks/api';
import { aBranch, aTenant, aUser, fixtureTenantId } from '../../../test/mocks/fixtures';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { NewLeadForm } from './new-lead-form';

const tenantId = fixtureTenantId;
const branch = aBranch();
const laptop = {
  id: '0190f0f0-0000-7000-8000-000000000010',
  tenantId,
  branchId: null,
  title: 'Laptop Lenovo IdeaPad',
  category: 'LAPTOPS',
  price: 189900,
  currency: 'PEN',
  stock: 4,
  sku: null,
  active: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
};
const seller = meResponse.parse({
  user: aUser({ email: 'lucia@example.com', name: 'Lucía', role: 'SELLER', branchIds: [branch.id] }),
  tenant: aTenant(),
  csrfToken: 'csrf',
});

/** The shop's branches and catalog, and the lead the API makes of what the form sent (recorded). */
function shopApi() {
  const sent: unknown[] = [];
  server.use(
    listing('/tenants/:tenantId/branches', branchSchema, [branch]),
    listing('/tenants/:tenantId/listings', listingSchema, [laptop]),
    sending(
      'post',
      '/tenants/:tenantId/leads',
      { body: createLeadBody, schema: leadSchema },
      (body, { sent: raw }) => {
        sent.push(raw);
        const at = '2026-11-26T15:00:00.000Z';
        return {
          id: '0190f0f0-0000-7000-8000-000000000030',
          tenantId,
          branchId: body.branchId,
          customerUserId: null,
          contact: {
            id: '0190f0f0-0000-7000-8000-000000000031',
            name: body.contact.name ?? null,
            phone: body.contact.phone ?? null,
          },
          status: 'NEW',
          source: body.source,
          campaignId: null,
          listingId: body.listingId ?? null,
          priority: 'MEDIUM',
          leadType: null,
          assignedToUserId: seller.user.id,
          lostReason: null,
          value: null,
          currency: null,
          valueSource: null,
          firstResponseAt: null,
          statusChangedAt: at,
          lastActivityAt: at,
          createdAt: at,
          updatedAt: at,
          version: 1,
        } satisfies Lead;
      },
    ),
  );
  return sent;
}

async function renderForm() {
  const done: string[] = [];
  const view = await renderWithProviders(<NewLeadForm me={seller} onDone={() => done.push('closed')} />);
  return { ...view, done };
}

describe('NewLeadForm', () => {
  it('sends the phone in E.164, the product and how the customer came, then opens the new lead', async () => {
    const sent = shopApi();
    const { router, done } = await renderForm();
    await userEvent.click(await screen.findByRole('radio', { name: 'Llamada' }));
    await userEvent.type(screen.getByLabelText('Nombre'), 'Rosa Huamán');
    await userEvent.type(screen.getByLabelText('Teléfono'), '987 654 320');
    expect(await screen.findByText('Se guardará como +51 987 654 320')).toBeInTheDocument();
    await userEvent.click(screen.getByPlaceholderText('Busca en el catálogo'));
    await userEvent.click(await screen.findByRole('option', { name: 'Laptop Lenovo IdeaPad' }));
    await userEvent.type(screen.getByLabelText('Lo que busca (opcional)'), 'La quiere en gris');
    await userEvent.click(screen.getByRole('button', { name: 'Crear lead' }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe('/leads/0190f0f0-0000-7000-8000-000000000030'),
    );
    expect(sent).toEqual([
      {
        branchId: branch.id,
        contact: { name: 'Rosa Huamán', phone: '+51987654320' },
        listingId: laptop.id,
        message: 'La quiere en gris',
        source: 'MANUAL',
        channel: 'PHONE_CALL',
      },
    ]);
    expect(done).toEqual(['closed']);
  });

  it('refuses a phone that cannot exist, and a lead with neither name nor phone, sending nothing', async () => {
    const sent = shopApi();
    await renderForm();
    await screen.findByRole('radio', { name: 'En el local' });
    await userEvent.click(screen.getByRole('button', { name: 'Crear lead' }));
    expect(await screen.findByText('Escribe al menos el nombre o el teléfono')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Teléfono'), '12 34');
    await userEvent.click(screen.getByRole('button', { name: 'Crear lead' }));
    expect(await screen.findByText(/Ese número no existe/)).toBeInTheDocument();
    expect(sent).toEqual([]);
  });
});
