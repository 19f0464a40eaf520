import type { Lead } from '@techmarket/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { LeadRow } from './lead-row';

const now = Date.parse('2026-11-26T15:00:00Z');
const lead: Lead = {
  id: '0190f0f0-0000-7000-8000-000000000001',
  tenantId: '0190f0f0-0000-7000-8000-000000000002',
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  customerUserId: null,
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Huamán', phone: '+51987654321' },
  status: 'NEW',
  source: 'WHATSAPP',
  campaignId: null,
  listingId: '0190f0f0-0000-7000-8000-000000000005',
  priority: 'HIGH',
  leadType: null,
  assignedToUserId: null,
  lostReason: null,
  value: null,
  currency: null,
  valueSource: null,
  firstResponseAt: null,
  statusChangedAt: '2026-11-26T12:00:00.000Z',
  lastActivityAt: '2026-11-26T12:00:00.000Z',
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
  version: 1,
};

describe('LeadRow', () => {
  it('shows contact, product, source, age, priority and seller in Spanish', async () => {
    await renderWithProviders(
      <LeadRow
        lead={lead}
        now={now}
        names={{ product: 'Laptop Lenovo IdeaPad', seller: null, branch: null }}
      />,
    );
    const row = await screen.findByRole('link', { name: /^Rosa Huamán/ });
    expect(row).toHaveAttribute('href', `/leads/${lead.id}`);
    expect(row).toHaveTextContent('Laptop Lenovo IdeaPad');
    expect(row).toHaveTextContent('WhatsApp');
    expect(row).toHaveTextContent('Nuevo');
    expect(row).toHaveTextContent('Alta');
    expect(row).toHaveTextContent('Sin asignar');
    // Not answered yet: how long the customer has waited, the unit in full.
    expect(screen.getByTestId('lead-wait')).toHaveTextContent(/^esperando 3 horas$/);
  });

  it('says when an answered or closed lead arrived, the unit in full ("hace 3 meses", never "hace 3 m")', async () => {
    const old = { ...lead, createdAt: '2026-08-28T15:00:00.000Z' };
    const names = { product: null, seller: null, branch: null };
    const { unmount } = await renderWithProviders(
      <LeadRow
        lead={{ ...old, status: 'WON', firstResponseAt: '2026-08-28T15:05:00.000Z' }}
        now={now}
        names={names}
      />,
    );
    expect(await screen.findByTestId('lead-wait')).toHaveTextContent(/^hace 3 meses$/);
    unmount();
    await renderWithProviders(
      <LeadRow
        lead={{
          ...lead,
          createdAt: '2026-11-26T14:55:00.000Z',
          status: 'CONTACTED',
          firstResponseAt: '2026-11-26T14:57:00.000Z',
        }}
        now={now}
        names={names}
      />,
      { language: 'en' },
    );
    expect(await screen.findByTestId('lead-wait')).toHaveTextContent(/^5 minutes ago$/);
  });

  it('falls back to the phone, and speaks Portuguese when asked', async () => {
    await renderWithProviders(
      <LeadRow
        lead={{ ...lead, contact: { ...lead.contact, name: null } }}
        now={now}
        names={{ product: null, seller: 'Lucía Ramos', branch: 'Miraflores' }}
      />,
      { language: 'pt-BR' },
    );
    const row = await screen.findByRole('link', { name: /^\+51987654321/ });
    expect(row).toHaveTextContent('Sem produto');
    expect(row).toHaveTextContent('Lucía Ramos');
    expect(row).toHaveTextContent('Miraflores');
    expect(row).toHaveTextContent('Novo');
  });

  it('tells how long a new lead has waited in the branch business hours', async () => {
    const weekday = [{ open: '09:00', close: '19:00' }];
    await renderWithProviders(
      <LeadRow
        // Arrived Thursday 20:00 in Lima, seen Friday 9:30: 30 minutes of opening time.
        lead={{ ...lead, createdAt: '2026-11-27T01:00:00.000Z' }}
        now={Date.parse('2026-11-27T14:30:00Z')}
        names={{
          product: null,
          seller: null,
          branch: null,
          hours: { businessHours: { thu: weekday, fri: weekday }, timezone: 'America/Lima' },
        }}
      />,
    );
    expect(await screen.findByTestId('lead-wait')).toHaveTextContent(/^esperando 13 horas · 30 min hábiles$/);
  });

  it('shows a lead that came in at night as waiting, with none of it in business hours', async () => {
    const weekday = [{ open: '09:00', close: '19:00' }];
    await renderWithProviders(
      <LeadRow
        // Arrived Thursday 22:00 in Lima, seen at 22:40: 40 minutes waited, the shop closed all along.
        lead={{ ...lead, createdAt: '2026-11-27T03:00:00.000Z' }}
        now={Date.parse('2026-11-27T03:40:00Z')}
        names={{
          product: null,
          seller: null,
          branch: null,
          hours: { businessHours: { thu: weekday, fri: weekday }, timezone: 'America/Lima' },
        }}
      />,
      { language: 'pt-BR' },
    );
    expect(await screen.findByTestId('lead-wait')).toHaveTextContent(
      /^aguardando há 40 minutos · 0 min úteis$/,
    );
  });

  it('shows a task badge: open tasks in grey, overdue ones in red', async () => {
    const names = { product: null, seller: null, branch: null };
    const { unmount } = await renderWithProviders(
      <LeadRow lead={lead} now={now} names={{ ...names, tasks: { open: 2, overdue: 0 } }} />,
    );
    expect(await screen.findByTestId('task-badge')).toHaveTextContent('2 tareas');
    unmount();
    await renderWithProviders(
      <LeadRow lead={lead} now={now} names={{ ...names, tasks: { open: 3, overdue: 1 } }} />,
    );
    expect(await screen.findByTestId('task-badge')).toHaveTextContent('1 vencida');
  });

  it('shows no task badge without open tasks', async () => {
    await renderWithProviders(
      <LeadRow
        lead={lead}
        now={now}
        names={{ product: null, seller: null, branch: null, tasks: { open: 0, overdue: 0 } }}
      />,
    );
    await screen.findByRole('link', { name: /^Rosa Huamán/ });
    expect(screen.queryByTestId('task-badge')).toBeNull();
  });

  it("shows the conversation's last message and the unread badge when the inbox carries them", async () => {
    await renderWithProviders(
      <LeadRow
        lead={{
          ...lead,
          lastMessage: {
            direction: 'IN',
            text: '¿Hacen envíos a Surco?',
            createdAt: '2026-11-26T14:50:00.000Z',
          },
          unreadCount: 2,
        }}
        now={now}
        names={{ product: 'Laptop Lenovo IdeaPad', seller: null, branch: null }}
      />,
    );
    const row = await screen.findByRole('link', { name: /^Rosa Huamán/ });
    expect(row).toHaveTextContent('¿Hacen envíos a Surco?');
    expect(row).toHaveTextContent('Laptop Lenovo IdeaPad');
    expect(screen.getByLabelText('2 mensajes sin leer')).toHaveTextContent('2');
  });

  it('marks my own last reply and shows no badge once read', async () => {
    await renderWithProviders(
      <LeadRow
        lead={{
          ...lead,
          lastMessage: { direction: 'OUT', text: 'Sí, hay stock', createdAt: '2026-11-26T14:50:00.000Z' },
          unreadCount: 0,
        }}
        now={now}
        names={{ product: null, seller: null, branch: null }}
      />,
    );
    expect(await screen.findByTestId('last-message')).toHaveTextContent('Tú: Sí, hay stock');
    expect(screen.queryByTestId('unread-badge')).toBeNull();
  });
});
