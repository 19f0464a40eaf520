import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { ConvertTicketForm } from './convert-ticket-form';

const leadId = '0190f0f0-0000-7000-8000-000000000001';
const existing = { id: '0190f0f0-0000-7000-8000-0000000000t1', subject: 'Pantalla rota' };

afterEach(() => vi.unstubAllGlobals());

describe('ConvertTicketForm', () => {
  it('sends subject, device and priority, and links the existing ticket on a 409', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        expect(String(input)).toBe(`/api/v1/leads/${leadId}/convert-to-ticket`);
        bodies.push(JSON.parse(String(init?.body)));
        return new Response(
          JSON.stringify({ type: 'x', title: 'Conflict', status: 409, code: 'CONFLICT', ticket: existing }),
          { status: 409, headers: { 'content-type': 'application/problem+json' } },
        );
      }),
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
