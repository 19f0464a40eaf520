import { branchSchema, type Ticket, ticketSchema, updateTicketBody, userSchema } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting, listing, sending } from '../../../test/mocks/api';
import { aBranch, aTicket, aUser } from '../../../test/mocks/fixtures';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { TicketView } from './ticket-page';
import { TicketsView } from './tickets-page';

const ticket = aTicket();
const tenantPath = (what: string) => `/tenants/${ticket.tenantId}/${what}`;

/** The API of a ticket page: the ticket (as `current()` holds it), the team and the branches. */
function serveTicket(
  current: () => Ticket,
  {
    users = [],
    branches = [],
  }: { users?: ReturnType<typeof aUser>[]; branches?: ReturnType<typeof aBranch>[] } = {},
) {
  server.use(
    getting('/tickets/:id', ticketSchema, () => current()),
    listing(tenantPath('users'), userSchema, users),
    listing(tenantPath('branches'), branchSchema, branches),
  );
}

describe('tickets', () => {
  it('lists open tickets with their SLA state, and shows all on request', async () => {
    server.use(listing(tenantPath('tickets'), ticketSchema, [ticket]));
    const requests = recordRequests();
    const urls = () => requests.map((request) => request.path);
    await renderWithProviders(<TicketsView tenantId={ticket.tenantId} timeZone="America/Lima" />);
    const row = await screen.findByTestId('ticket-row');
    expect(row).toHaveTextContent('No enciende');
    expect(row).toHaveTextContent('SLA vencido');
    expect(row).toHaveTextContent('Abierto');
    await waitFor(() => expect(urls()[0]).toContain('open=true'));
    await userEvent.click(screen.getByText('Todos'));
    await waitFor(() => expect(urls().some((u) => !u.includes('open='))).toBe(true));
  });

  it('moves a ticket only where its workflow allows, and changes its priority and who works it', async () => {
    const seller = (id: string, name: string, branchIds: string[]) =>
      aUser({ id, name, email: `${name.split(' ')[0]}@shop.pe`, role: 'SELLER', branchIds });
    const lucia = '0190f0f0-0000-7000-8000-0000000000d1';
    const users = [
      seller(lucia, 'Lucía Ramos', [ticket.branchId]),
      seller('0190f0f0-0000-7000-8000-0000000000d2', 'Pedro de otra sucursal', [
        '0190f0f0-0000-7000-8000-0000000000b9',
      ]),
    ];
    const patches: unknown[] = [];
    let current = ticket;
    serveTicket(() => current, { users });
    server.use(
      sending('patch', '/tickets/:id', { body: updateTicketBody, schema: ticketSchema }, (body, { sent }) => {
        patches.push(sent);
        current = { ...current, ...body, version: current.version + 1 };
        return current;
      }),
    );
    await renderWithProviders(
      <TicketView ticketId={ticket.id} tenantId={ticket.tenantId} timeZone="America/Lima" />,
    );
    expect(await screen.findByRole('heading', { name: 'No enciende' })).toBeInTheDocument();
    expect(screen.getByText(/Laptop · Lenovo · N.º de serie PF12345/)).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Cambiar estado'), 'IN_PROGRESS');
    await waitFor(() => expect(patches).toEqual([{ status: 'IN_PROGRESS', version: 2 }]));
    // From IN_PROGRESS there is no way back to OPEN.
    await waitFor(() =>
      expect(
        Array.from((screen.getByLabelText('Cambiar estado') as HTMLSelectElement).options).map(
          (o) => o.value,
        ),
      ).toEqual(['IN_PROGRESS', 'WAITING_CUSTOMER', 'RESOLVED', 'CLOSED']),
    );

    await userEvent.selectOptions(screen.getByLabelText('Prioridad'), 'LOW');
    await waitFor(() => expect(patches.at(-1)).toEqual({ priority: 'LOW', version: 3 }));
    // Only those who work the ticket's branch can take it.
    const assignee = screen.getByLabelText('Responsable') as HTMLSelectElement;
    await waitFor(() => expect(assignee.options).toHaveLength(2));
    expect(Array.from(assignee.options).map((o) => o.text)).toEqual(['Sin asignar', 'Lucía Ramos']);
    await userEvent.selectOptions(assignee, lucia);
    await waitFor(() => expect(patches.at(-1)).toEqual({ assignedToUserId: lucia, version: 4 }));
  });

  it('says whether a resolved ticket met its SLA, and a closed one moves no more', async () => {
    const closed: Ticket = {
      ...ticket,
      status: 'CLOSED',
      slaBreached: false,
      resolvedAt: '2026-11-26T18:00:00.000Z',
      closedAt: '2026-11-26T19:00:00.000Z',
    };
    serveTicket(() => closed);
    await renderWithProviders(
      <TicketView ticketId={ticket.id} tenantId={ticket.tenantId} timeZone="America/Lima" />,
    );
    expect(await screen.findByTestId('ticket-sla')).toHaveTextContent('SLA cumplido');
    expect(screen.getByLabelText('Cambiar estado')).toBeDisabled();
  });

  it("shows its times on its branch's clock, not the shop's", async () => {
    serveTicket(() => ({ ...ticket, slaBreached: false }), {
      branches: [aBranch({ id: ticket.branchId, name: 'Guadalajara', timezone: 'America/Mexico_City' })],
    });
    await renderWithProviders(
      <TicketView ticketId={ticket.id} tenantId={ticket.tenantId} timeZone="America/Lima" />,
    );
    // 20:00 UTC is 3:00 p.m. in Lima and 2:00 p.m. in Guadalajara.
    await waitFor(() => expect(screen.getByTestId('ticket-sla')).toHaveTextContent(/2:00\sp\.\s?m\./));
  });

  it('leads back to the customer when the ticket was opened without a lead', async () => {
    serveTicket(() => ({ ...ticket, leadId: null }));
    await renderWithProviders(
      <TicketView ticketId={ticket.id} tenantId={ticket.tenantId} timeZone="America/Lima" />,
    );
    const link = await screen.findByRole('link', { name: /Ver cliente/ });
    expect(link).toHaveAttribute('href', `/customers/${ticket.contact.id}`);
    expect(screen.queryByRole('link', { name: /Lead/ })).not.toBeInTheDocument();
  });
});
