import type { User } from '@techmarket/contracts';
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { LeadTimeline } from './lead-timeline';

const leadId = '0190f0f0-0000-7000-8000-000000000001';
const seller = { id: '0190f0f0-0000-7000-8000-00000000000a', name: 'Lucía Ramos' } as User;
const event = (
  type: string,
  payload: Record<string, unknown>,
  minute: number,
  actorUserId: string | null = null,
) => ({
  id: `0190f0f0-0000-7000-8000-0000000001${String(minute).padStart(2, '0')}`,
  leadId,
  type,
  payload,
  actorUserId,
  createdAt: `2026-11-26T15:${String(minute).padStart(2, '0')}:00.000Z`,
});

afterEach(() => vi.unstubAllGlobals());

describe('LeadTimeline', () => {
  it('tells the history newest first, in words, in the branch time zone', async () => {
    const items = [
      event('CREATED', { source: 'LISTING' }, 0),
      event('MESSAGE_RECEIVED', { text: '¿Tienen la laptop en stock?' }, 1),
      event('ASSIGNED', { fromUserId: null, toUserId: seller.id }, 2),
      event('STATUS_CHANGED', { from: 'NEW', to: 'CONTACTED' }, 5, seller.id),
      event('NOTE_ADDED', { noteId: 'n1', text: 'Pasa mañana a la tienda' }, 6, seller.id),
      event('STATUS_CHANGED', { from: 'CONTACTED', to: 'LOST', lostReason: 'PRICE' }, 9, seller.id),
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ items }), { headers: { 'content-type': 'application/json' } }),
      ),
    );
    await renderWithProviders(<LeadTimeline leadId={leadId} timeZone="America/Lima" users={[seller]} />);
    await screen.findByText('Etapa: Contactado → Perdido');
    const titles = screen
      .getAllByText(/^(Etapa|Nota|Asignado|Mensaje|Lead creado)/)
      .map((e) => e.textContent);
    expect(titles).toEqual([
      'Etapa: Contactado → Perdido',
      'Nota interna agregada',
      'Etapa: Nuevo → Contactado',
      'Asignado a Lucía Ramos',
      'Mensaje del cliente',
      'Lead creado',
    ]);
    expect(screen.getByText('Precio')).toBeInTheDocument();
    expect(screen.getByText('Pasa mañana a la tienda')).toBeInTheDocument();
    expect(screen.getByText('¿Tienen la laptop en stock?')).toBeInTheDocument();
    // 15:09 UTC is 10:09 in Lima.
    expect(screen.getAllByText(/10:09/)[0]).toHaveTextContent('por Lucía Ramos');
  });

  it('tells who changed the customer’s marketing consent, and how', async () => {
    const items = [
      event('CONSENT_CHANGED', { marketingConsent: true, source: 'whatsapp' }, 3, seller.id),
      event('CONSENT_CHANGED', { marketingConsent: false, optedOut: true, cancelledTasks: 1 }, 7, seller.id),
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ items }), { headers: { 'content-type': 'application/json' } }),
      ),
    );
    await renderWithProviders(<LeadTimeline leadId={leadId} timeZone="America/Lima" users={[seller]} />);
    expect(await screen.findByText('Pidió no recibir más promociones')).toBeInTheDocument();
    expect(screen.getByText('Aceptó recibir promociones (whatsapp)')).toBeInTheDocument();
    expect(screen.getAllByText(/10:0[37]/).map((e) => e.textContent)).toEqual([
      expect.stringContaining('por Lucía Ramos'),
      expect.stringContaining('por Lucía Ramos'),
    ]);
  });

  it('says so when the history cannot be loaded', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ type: 'x', title: 'Not found', status: 404, code: 'NOT_FOUND' }), {
            status: 404,
            headers: { 'content-type': 'application/problem+json' },
          }),
      ),
    );
    await renderWithProviders(<LeadTimeline leadId={leadId} timeZone="America/Lima" users={[]} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('No encontramos lo que buscas');
  });
});
