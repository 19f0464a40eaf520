import type { Ticket } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { TicketView } from './ticket-page';
import { TicketsView } from './tickets-page';

const ticket: Ticket = {
  id: '0190f0f0-0000-7000-8000-0000000000t1',
  tenantId: '0190f0f0-0000-7000-8000-000000000002',
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  leadId: '0190f0f0-0000-7000-8000-000000000001',
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Huamán', phone: '+51987654321' },
  subject: 'No enciende',
  description: 'Se apagó y no prende.',
  device: { type: 'Laptop', brand: 'Lenovo', serial: 'PF12345' },
  status: 'OPEN',
  priority: 'HIGH',
  slaHours: 4,
  slaDueAt: '2026-11-26T20:00:00.000Z',
  slaBreached: true,
  assignedToUserId: null,
  createdByUserId: null,
  resolvedAt: null,
  closedAt: null,
  createdAt: '2026-11-26T15:00:00.000Z',
  updatedAt: '2026-11-26T15:00:00.000Z',
  version: 2,
};
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('tickets', () => {
  it('lists open tickets with their SLA state, and shows all on request', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        urls.push(String(input));
        return json({ items: [ticket], nextCursor: null });
      }),
    );
    await renderWithProviders(<TicketsView tenantId={ticket.tenantId} timeZone="America/Lima" />);
    const row = await screen.findByTestId('ticket-row');
    expect(row).toHaveTextContent('No enciende');
    expect(row).toHaveTextContent('SLA vencido');
    expect(row).toHaveTextContent('Abierto');
    expect(urls[0]).toContain('open=true');
    await userEvent.click(screen.getByText('Todos'));
    await waitFor(() => expect(urls.some((u) => !u.includes('open='))).toBe(true));
  });

  it('moves a ticket only where its workflow allows, and changes its priority and who works it', async () => {
    const seller = (id: string, name: string, branchIds: string[]) => ({
      id,
      tenantId: ticket.tenantId,
      name,
      email: `${id}@shop.pe`,
      role: 'SELLER',
      branchIds,
      active: true,
      available: true,
      invitationPending: false,
    });
    const users = [
      seller('u-1', 'Lucía Ramos', [ticket.branchId]),
      seller('u-2', 'Pedro de otra sucursal', ['0190f0f0-0000-7000-8000-0000000000b9']),
    ];
    const patches: unknown[] = [];
    let current = ticket;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input).includes('/users')) return json({ items: users });
        if (init?.method === 'PATCH') {
          const body = JSON.parse(String(init.body));
          patches.push(body);
          current = { ...current, ...body, version: current.version + 1 };
        }
        return json(current);
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
    await userEvent.selectOptions(assignee, 'u-1');
    await waitFor(() => expect(patches.at(-1)).toEqual({ assignedToUserId: 'u-1', version: 4 }));
  });

  it('says whether a resolved ticket met its SLA, and a closed one moves no more', async () => {
    const closed: Ticket = {
      ...ticket,
      status: 'CLOSED',
      slaBreached: false,
      resolvedAt: '2026-11-26T18:00:00.000Z',
      closedAt: '2026-11-26T19:00:00.000Z',
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) =>
        json(String(input).includes('/users') ? { items: [] } : closed),
      ),
    );
    await renderWithProviders(
      <TicketView ticketId={ticket.id} tenantId={ticket.tenantId} timeZone="America/Lima" />,
    );
    expect(await screen.findByTestId('ticket-sla')).toHaveTextContent('SLA cumplido');
    expect(screen.getByLabelText('Cambiar estado')).toBeDisabled();
  });

  it("shows its times on its branch's clock, not the shop's", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = String(input);
        if (url.includes('/users')) return json({ items: [] });
        if (url.includes('/branches'))
          return json({
            items: [{ id: ticket.branchId, name: 'Guadalajara', timezone: 'America/Mexico_City' }],
          });
        return json({ ...ticket, slaBreached: false });
      }),
    );
    await renderWithProviders(
      <TicketView ticketId={ticket.id} tenantId={ticket.tenantId} timeZone="America/Lima" />,
    );
    // 20:00 UTC is 3:00 p.m. in Lima and 2:00 p.m. in Guadalajara.
    await waitFor(() => expect(screen.getByTestId('ticket-sla')).toHaveTextContent(/2:00\sp\.\s?m\./));
  });
});
