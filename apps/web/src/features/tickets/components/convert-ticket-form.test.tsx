import { convertToTicketBody, problemSchema, ticketSchema } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { problem, sending } from '../../../test/mocks/api';
import { aTicket } from '../../../test/mocks/fixtures';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { ConvertTicketForm } from './convert-ticket-form';

const leadId = '0190f0f0-0000-7000-8000-000000000001';
const existing = aTicket({ leadId, subject: 'Pantalla rota' });
/** The 409 of a second conversion carries the lead's ticket. */
const ticketExists = problemSchema.extend({ ticket: ticketSchema });

describe('ConvertTicketForm', () => {
  it('sends subject, device and priority, and links the existing ticket on a 409', async () => {
    const bodies: unknown[] = [];
    server.use(
      sending(
        'post',
        `/leads/${leadId}/convert-to-ticket`,
        { body: convertToTicketBody, schema: ticketSchema },
        (_body, { sent }) => {
          bodies.push(sent);
          return problem(409, { code: 'CONFLICT', ticket: existing }, ticketExists);
        },
      ),
    );
    await renderWithProviders(
      <ConvertTicketForm leadId={leadId} priority="MEDIUM" defaultSubject="Laptop HP" />,
    );
    const subject = await screen.findByLabelText('Asunto');
    expect(subject).toHaveValue('Laptop HP');
    await userEvent.clear(subject);
    await userEvent.type(subject, 'No enciende');
    await userEvent.type(screen.getByLabelText('Marca'), 'HP');
    await userEvent.selectOptions(screen.getByLabelText('Prioridad'), 'HIGH');
    await userEvent.click(screen.getByRole('button', { name: 'Crear ticket' }));

    const link = await screen.findByRole('link', { name: 'Ver el ticket' });
    expect(link).toHaveAttribute('href', `/tickets/${existing.id}`);
    expect(screen.getByRole('alert')).toHaveTextContent('Este lead ya tiene un ticket.');
    await waitFor(() =>
      expect(bodies[0]).toEqual({ subject: 'No enciende', priority: 'HIGH', device: { brand: 'HP' } }),
    );
  });
});
