import { leadEventSchema } from '@techmarket/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getting, problem } from '../../../test/mocks/api';
import { aUser } from '../../../test/mocks/fixtures';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { LeadTimeline } from './lead-timeline';

const leadId = '0190f0f0-0000-7000-8000-000000000001';
const seller = aUser({ id: '0190f0f0-0000-7000-8000-00000000000a', name: 'Lucía Ramos', role: 'SELLER' });
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

/** GET /leads/{id}/events: the lead's history (oldest first, as the API sends it), or a refusal. */
const history = (answer: () => z.input<typeof leadEventSchema>[] | Response) =>
  server.use(
    getting(`/leads/${leadId}/events`, z.object({ items: z.array(leadEventSchema) }), () => {
      const items = answer();
      return items instanceof Response ? items : { items };
    }),
  );

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
    history(() => items);
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

  it('names quote events and never shows an event type’s code, even one newer than the page', async () => {
    const items = [
      event('QUOTE_CREATED', { quoteId: leadId }, 1, seller.id),
      event('QUOTE_ACCEPTED', { quoteId: leadId }, 2, seller.id),
      event('SOMETHING_NEW', {}, 3),
    ];
    history(() => items);
    await renderWithProviders(<LeadTimeline leadId={leadId} timeZone="America/Lima" users={[seller]} />);
    expect(await screen.findByText('Cotización creada')).toBeInTheDocument();
    expect(screen.getByText('Cotización aceptada')).toBeInTheDocument();
    expect(screen.getByText('Otra actividad')).toBeInTheDocument();
    expect(screen.getByTestId('lead-timeline')).not.toHaveTextContent(/QUOTE_|SOMETHING_NEW|Evento:/);
  });

  it('tells who changed the customer’s marketing consent, and how', async () => {
    const items = [
      event('CONSENT_CHANGED', { marketingConsent: true, source: 'whatsapp' }, 3, seller.id),
      event('CONSENT_CHANGED', { marketingConsent: false, optedOut: true, cancelledTasks: 1 }, 7, seller.id),
    ];
    history(() => items);
    await renderWithProviders(<LeadTimeline leadId={leadId} timeZone="America/Lima" users={[seller]} />);
    expect(await screen.findByText('Pidió no recibir más promociones')).toBeInTheDocument();
    expect(screen.getByText('Aceptó recibir promociones (por WhatsApp)')).toBeInTheDocument();
    expect(screen.getAllByText(/10:0[37]/).map((e) => e.textContent)).toEqual([
      expect.stringContaining('por Lucía Ramos'),
      expect.stringContaining('por Lucía Ramos'),
    ]);
  });

  it('says so when the history cannot be loaded', async () => {
    history(() => problem(404, { type: 'x', code: 'NOT_FOUND' }));
    await renderWithProviders(<LeadTimeline leadId={leadId} timeZone="America/Lima" users={[]} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('No encontramos lo que buscas');
  });
});
