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

  it('moves a ticket to another status with the version read', async () => {
    const patches: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'PATCH') {
          const body = JSON.parse(String(init.body));
          patches.push(body);
          return json({ ...ticket, status: body.status, version: 3 });
        }
        return json(ticket);
      }),
    );
    await renderWithProviders(<TicketView ticketId={ticket.id} timeZone="America/Lima" />);
    expect(await screen.findByRole('heading', { name: 'No enciende' })).toBeInTheDocument();
    expect(screen.getByText(/Laptop · Lenovo · N.º de serie PF12345/)).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Cambiar estado'), 'IN_PROGRESS');
    await waitFor(() => expect(patches).toEqual([{ status: 'IN_PROGRESS', version: 2 }]));
  });
});
