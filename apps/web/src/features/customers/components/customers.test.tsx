import {
  branchSchema,
  type CustomerDetail,
  type CustomerListItem,
  customerDetailSchema,
  customerDuplicatesSchema,
  customerListItemSchema,
  customerSchema,
  customerTimelineItemSchema,
  mergeCustomersBody,
  mergedCustomerSchema,
  updateCustomerBody,
} from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting, listing, problem, sending } from '../../../test/mocks/api';
import { aBranch, fixtureTenantId } from '../../../test/mocks/fixtures';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { CustomerView } from './customer-page';
import { CustomersView } from './customers-page';

const at = '2026-11-26T12:00:00.000Z';
const branch = aBranch();
const rosaId = '0190f0f0-0000-7000-8000-000000000004';
const pepeId = '0190f0f0-0000-7000-8000-000000000044';

const aCustomer = (overrides: Partial<CustomerListItem> = {}): CustomerListItem => ({
  id: rosaId,
  tenantId: fixtureTenantId,
  name: 'Rosa Huamán',
  phone: '+51987654321',
  email: 'rosa@example.com',
  marketplaceUserId: null,
  tags: ['mayorista'],
  notes: null,
  marketingConsent: true,
  consentAt: at,
  optedOutAt: null,
  erasedAt: null,
  createdAt: at,
  updatedAt: at,
  version: 3,
  openLeads: 1,
  leads: 2,
  lastActivityAt: at,
  ...overrides,
});

const detail = (): CustomerDetail => {
  const { openLeads: _o, leads: _l, lastActivityAt: _a, ...customer } = aCustomer();
  return {
    ...customer,
    leads: [
      {
        id: '0190f0f0-0000-7000-8000-000000000001',
        branchId: branch.id,
        status: 'QUOTED',
        source: 'LISTING',
        refCode: 'K7Q2MX',
        createdAt: at,
        lastActivityAt: at,
      },
    ],
    tickets: [],
    timeline: { items: [], nextCursor: null },
  };
};

const tenantPath = (what: string) => `/tenants/${fixtureTenantId}/${what}`;

describe('customers list', () => {
  it('searches by what is typed and filters by consent, open lead and branch', async () => {
    server.use(
      listing(tenantPath('contacts'), customerListItemSchema, [aCustomer()]),
      listing(tenantPath('branches'), branchSchema, [branch]),
    );
    const requests = recordRequests();
    const customers = () => requests.filter((r) => r.path.includes('/contacts')).map((r) => r.path);
    await renderWithProviders(<CustomersView tenantId={fixtureTenantId} />);
    const row = await screen.findByTestId('customer-row');
    expect(row).toHaveTextContent('Rosa Huamán');
    expect(row).toHaveTextContent('+51 987 654 321');
    expect(row).toHaveTextContent('mayorista');
    expect(row).toHaveTextContent('Leads abiertos: 1');
    expect(row).toHaveTextContent('Acepta promociones');

    await userEvent.type(screen.getByLabelText('Buscar cliente'), '987 654 321');
    await waitFor(() => expect(customers().at(-1)).toContain('q=987+654+321'));
    await userEvent.selectOptions(screen.getByLabelText('Promociones'), 'GIVEN');
    await waitFor(() => expect(customers().at(-1)).toContain('consent=GIVEN'));
    await userEvent.selectOptions(screen.getByLabelText('Leads'), 'true');
    await waitFor(() => expect(customers().at(-1)).toContain('hasOpenLead=true'));
    await userEvent.selectOptions(await screen.findByLabelText('Sucursal'), branch.id);
    await waitFor(() => expect(customers().at(-1)).toContain(`branchId=${branch.id}`));
  });

  it('says so when nobody matches', async () => {
    server.use(
      listing(tenantPath('contacts'), customerListItemSchema, []),
      listing(tenantPath('branches'), branchSchema, [branch]),
    );
    await renderWithProviders(<CustomersView tenantId={fixtureTenantId} />);
    expect(await screen.findByText('Ningún cliente coincide')).toBeInTheDocument();
  });
});

describe('customer page', () => {
  const serve = (current: () => CustomerDetail) =>
    server.use(
      getting('/contacts/:id', customerDetailSchema, () => current()),
      listing(tenantPath('branches'), branchSchema, [branch]),
      listing('/contacts/:id/timeline', customerTimelineItemSchema, [
        {
          kind: 'MESSAGE',
          id: '0190f0f0-0000-7000-8000-0000000000f1',
          at,
          leadId: '0190f0f0-0000-7000-8000-000000000001',
          branchId: branch.id,
          type: 'IN',
          data: { text: '¿Tienen la laptop en stock?' },
        },
        {
          kind: 'QUOTE',
          id: '0190f0f0-0000-7000-8000-0000000000f2',
          at,
          leadId: '0190f0f0-0000-7000-8000-000000000001',
          branchId: branch.id,
          type: 'DRAFT',
          data: { number: 42, total: 189900, currency: 'PEN' },
        },
      ]),
    );

  it('shows the customer, their leads and history, and edits them with the stored phone shown', async () => {
    let current = detail();
    serve(() => current);
    server.use(
      getting('/contacts/:id/duplicates', customerDuplicatesSchema, () => ({ items: [] })),
      sending('patch', '/contacts/:id', { body: updateCustomerBody, schema: customerSchema }, (body) => {
        if (body.phone === '123')
          return problem(422, { errors: [{ path: 'phone', message: 'not a phone' }] });
        const { leads: _l, tickets: _t, timeline: _tl, ...customer } = current;
        const next = { ...customer, ...body, version: current.version + 1 };
        current = { ...current, ...next };
        return next;
      }),
    );
    const requests = recordRequests({ bodies: true });
    await renderWithProviders(
      <CustomerView
        tenantId={fixtureTenantId}
        customerId={rosaId}
        timeZone="America/Lima"
        ticketBranchIds={null}
      />,
    );
    expect(await screen.findByRole('heading', { name: 'Rosa Huamán' })).toBeInTheDocument();
    expect(await screen.findByText(/K7Q2MX/)).toBeInTheDocument();
    expect(await screen.findByText('Escribió: ¿Tienen la laptop en stock?')).toBeInTheDocument();
    expect(screen.getByText(/Cotización N.º 000042/)).toBeInTheDocument();
    expect(screen.getByText('No hay otros registros de este cliente')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Editar' }));
    const phone = screen.getByLabelText('Teléfono');
    await userEvent.clear(phone);
    await userEvent.type(phone, '912 345 678');
    expect(await screen.findByText('Se guardará como +51912345678')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('Etiquetas'));
    await userEvent.type(screen.getByLabelText('Etiquetas'), 'vip, gamer');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() =>
      expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({
        name: 'Rosa Huamán',
        phone: '912 345 678',
        email: 'rosa@example.com',
        tags: ['vip', 'gamer'],
        notes: null,
        version: 3,
      }),
    );
    expect(await screen.findByText('vip')).toBeInTheDocument();

    // A number the API refuses is said under the field.
    await userEvent.click(screen.getByRole('button', { name: 'Editar' }));
    await userEvent.clear(screen.getByLabelText('Teléfono'));
    await userEvent.type(screen.getByLabelText('Teléfono'), '123');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText(/Ese número no existe/)).toBeInTheDocument();
  });

  it('merges a duplicate after saying what will move', async () => {
    const current = detail();
    serve(() => current);
    const {
      openLeads: _o,
      leads: _l,
      lastActivityAt: _a,
      ...pepe
    } = aCustomer({
      id: pepeId,
      name: 'Pepe',
      email: null,
      tags: [],
    });
    const merges: unknown[] = [];
    server.use(
      getting('/contacts/:id/duplicates', customerDuplicatesSchema, () => ({
        items:
          merges.length > 0
            ? []
            : [
                {
                  customer: pepe,
                  reasons: ['SAME_PHONE' as const],
                  belongings: { leads: 2, tickets: 1, quotes: 1, events: 9, messages: 4 },
                },
              ],
      })),
      sending(
        'post',
        '/contacts/:id/merge',
        { body: mergeCustomersBody, schema: mergedCustomerSchema, status: 200 },
        (body) => {
          merges.push(body);
          return {
            ...current,
            version: current.version + 1,
            merged: {
              duplicateId: body.duplicateId,
              moved: { leads: 2, tickets: 1, quotes: 1, events: 9, messages: 4, consentChanges: 0 },
            },
          };
        },
      ),
    );
    await renderWithProviders(
      <CustomerView
        tenantId={fixtureTenantId}
        customerId={rosaId}
        timeZone="America/Lima"
        ticketBranchIds={null}
      />,
    );
    const row = await screen.findByTestId('duplicate-row');
    expect(row).toHaveTextContent('Pepe');
    expect(row).toHaveTextContent('Mismo teléfono');
    await userEvent.click(within(row).getByRole('button', { name: 'Unir con este cliente' }));
    const dialog = await screen.findByRole('dialog', { name: 'Unir clientes' });
    expect(dialog).toHaveTextContent('Todo lo de «Pepe» pasará a «Rosa Huamán»');
    expect(within(dialog).getByTestId('merge-moves')).toHaveTextContent(
      'Se moverán 2 leads, 1 tickets, 1 cotizaciones, 9 eventos del historial y 4 mensajes.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sí, unir' }));
    await waitFor(() => expect(merges).toEqual([{ duplicateId: pepeId, version: 3 }]));
    expect(await screen.findByText('No hay otros registros de este cliente')).toBeInTheDocument();
  });

  it("says an erased customer's data was erased on their request, with nothing left to edit or merge", async () => {
    const erased: CustomerDetail = {
      ...detail(),
      name: null,
      phone: null,
      email: null,
      tags: [],
      erasedAt: at,
    };
    serve(() => erased);
    await renderWithProviders(
      <CustomerView
        tenantId={fixtureTenantId}
        customerId={rosaId}
        timeZone="America/Lima"
        ticketBranchIds={null}
      />,
    );
    expect(await screen.findByRole('heading', { name: 'Datos borrados' })).toBeInTheDocument();
    expect(screen.getByTestId('customer-erased')).toHaveTextContent('Datos borrados a pedido del cliente');
    // Their leads stay (the shop's figures), without anything personal.
    expect(await screen.findByText(/K7Q2MX/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Editar' })).not.toBeInTheDocument();
    expect(screen.queryByTestId('customer-duplicates')).not.toBeInTheDocument();
  });
});
