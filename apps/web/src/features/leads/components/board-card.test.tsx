import { DndContext } from '@dnd-kit/core';
import type { LeadStatus } from '@techmarket/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { BoardCard, type BoardLead } from './board-card';

const lead: BoardLead = {
  id: '0190f0f0-0000-7000-8000-000000000001',
  tenantId: '0190f0f0-0000-7000-8000-000000000002',
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  customerUserId: null,
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Huamán', phone: '+51987654321' },
  status: 'CONTACTED',
  source: 'WHATSAPP',
  campaignId: null,
  listingId: '0190f0f0-0000-7000-8000-000000000005',
  listing: {
    id: '0190f0f0-0000-7000-8000-000000000005',
    title: 'Laptop Lenovo IdeaPad Slim 3',
    price: 249900,
    currency: 'PEN',
  },
  priority: 'HIGH',
  leadType: null,
  assignedToUserId: null,
  lostReason: null,
  value: 249900,
  currency: 'PEN',
  valueSource: 'LISTING',
  firstResponseAt: null,
  statusChangedAt: '2026-11-26T12:00:00.000Z',
  lastActivityAt: '2026-11-26T12:00:00.000Z',
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
  version: 3,
};

async function renderCard(status: LeadStatus, card: BoardLead = lead) {
  const onMove = vi.fn();
  await renderWithProviders(
    <DndContext>
      <BoardCard lead={card} status={status} seller="Lucía Ramos" onMove={onMove} />
    </DndContext>,
    { path: '/board' },
  );
  return onMove;
}

/** The stages the card's "Mover a…" menu offers, in its order. */
async function openMenu() {
  await userEvent.click(await screen.findByRole('button', { name: 'Mover a… (Rosa Huamán)' }));
  const menu = await screen.findByRole('menu');
  return {
    menu,
    offered: within(menu)
      .getAllByRole('menuitem')
      .map((item) => item.textContent),
  };
}

describe('BoardCard', () => {
  it('shows the product and its price beside the customer, seller and priority', async () => {
    await renderCard('CONTACTED');
    const card = await screen.findByTestId('board-card');
    expect(within(card).getByRole('link', { name: 'Rosa Huamán' })).toHaveAttribute(
      'href',
      `/leads/${lead.id}`,
    );
    const product = within(card).getByTestId('board-card-product');
    expect(product).toHaveTextContent('Laptop Lenovo IdeaPad Slim 3');
    expect(product).toHaveTextContent(/S\/\s?2,499\.00/);
    expect(card).toHaveTextContent('Lucía Ramos');
    expect(card).toHaveTextContent('Alta');
  });

  it('leaves the product line out when the lead has neither a product nor a value', async () => {
    await renderCard('NEW', {
      ...lead,
      status: 'NEW',
      listingId: null,
      listing: null,
      value: null,
      currency: null,
      valueSource: null,
    });
    await screen.findByTestId('board-card');
    expect(screen.queryByTestId('board-card-product')).toBeNull();
  });

  it('shows the value typed by hand, in its currency, instead of the product price', async () => {
    await renderCard('QUOTED', {
      ...lead,
      status: 'QUOTED',
      value: 199900,
      currency: 'USD',
      valueSource: 'MANUAL',
    });
    const line = await screen.findByTestId('board-card-product');
    expect(line).toHaveTextContent(/USD\s1,999\.00/);
    expect(line).not.toHaveTextContent('2,499.00');
  });

  it("offers only the moves the pipeline allows from the card's column, and makes the one picked", async () => {
    const onMove = await renderCard('CONTACTED');
    const { menu, offered } = await openMenu();
    expect(offered).toEqual(['Calificado', 'Cotizado', 'Ganado', 'Perdido', 'Enfriado']);
    await userEvent.click(within(menu).getByRole('menuitem', { name: 'Cotizado' }));
    expect(onMove).toHaveBeenCalledExactlyOnceWith(lead, 'QUOTED');
  });

  it.each([
    ['NEW', ['Contactado', 'Calificado', 'Cotizado', 'Ganado', 'Perdido', 'Enfriado']],
    ['QUOTED', ['Ganado', 'Perdido', 'Enfriado']],
    ['WON', ['Contactado']],
    ['DORMANT', ['Contactado', 'Perdido']],
  ] as const)(
    'from %s offers only %j: never back, never to NEW, never where it is',
    async (status, moves) => {
      await renderCard(status, { ...lead, status });
      expect((await openMenu()).offered).toEqual(moves);
    },
  );
});
