import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { leadEvent, leadHistoryHandlers, newLead } from '../test/fixtures';
import { AssistantCard } from './assistant-card';

const reply = '¡Hola, Rosa! Te escribe Lucía de TechMarket. Router TP-Link a S/ 349.00. ¿Te lo separo?';

/** A history whose first and last customer messages differ, with the shop's own steps between them. */
const history = [
  leadEvent('CREATED', {}, 0),
  leadEvent('MESSAGE_RECEIVED', { channel: 'MARKETPLACE', text: 'hola, tienen el router?' }, 0),
  leadEvent('AI_SUGGESTED', {}, 1),
  leadEvent('NOTE_ADDED', { text: 'Llamar en la tarde' }, 2),
  leadEvent('MESSAGE_RECEIVED', { channel: 'WHATSAPP', text: '¿me lo separan para hoy?' }, 3),
  leadEvent('MESSAGE_SENT', { text: 'Claro, ¿a qué hora pasas?' }, 4),
];

describe('AssistantCard', () => {
  it('offers the reply by wa.me on a branch without a WhatsApp channel', async () => {
    server.use(...leadHistoryHandlers(history));
    await renderWithProviders(<AssistantCard lead={newLead} />);
    const link = await screen.findByRole('link', { name: 'Responder por WhatsApp con esto' });
    expect(link.getAttribute('href')).toContain('https://wa.me/51987654321');
  });

  it('leaves the reply to the conversation composer where the branch has a channel', async () => {
    server.use(...leadHistoryHandlers(history));
    await renderWithProviders(<AssistantCard lead={newLead} viaChannel />);
    expect(await screen.findByText(reply)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Responder por WhatsApp con esto' })).not.toBeInTheDocument();
  });

  it("puts the customer's last message right above the suggested reply", async () => {
    server.use(...leadHistoryHandlers(history));
    await renderWithProviders(<AssistantCard lead={newLead} />);
    const wrote = await screen.findByTestId('customer-wrote');
    expect(wrote).toHaveTextContent('¿me lo separan para hoy?');
    expect(screen.queryByText('hola, tienen el router?')).not.toBeInTheDocument();
    // Its block is the one just before the reply's: nothing between what was asked and the answer.
    const suggested = screen.getByTestId('suggested-reply');
    expect(wrote.parentElement?.nextElementSibling).toBe(suggested.parentElement);
    expect(within(wrote.parentElement as HTMLElement).getByText('El cliente escribió')).toBeInTheDocument();
    expect(suggested).toHaveTextContent(reply);
  });

  it('shows no customer message when the customer has not written', async () => {
    server.use(...leadHistoryHandlers([leadEvent('CREATED', {}, 0)]));
    await renderWithProviders(<AssistantCard lead={newLead} />);
    expect(await screen.findByTestId('suggested-reply')).toHaveTextContent(reply);
    expect(screen.queryByText('El cliente escribió')).not.toBeInTheDocument();
  });

  it('shows a seller no confidence percentage; an owner finds it in the details', async () => {
    server.use(...leadHistoryHandlers(history));
    const seller = await renderWithProviders(<AssistantCard lead={newLead} />);
    await screen.findByTestId('customer-wrote');
    expect(seller.container).not.toHaveTextContent('%');
    expect(screen.queryByText('Detalles del asistente')).not.toBeInTheDocument();
    seller.unmount();

    await renderWithProviders(<AssistantCard lead={newLead} showDetails />);
    expect(await screen.findByText('Detalles del asistente')).toBeInTheDocument();
    expect(screen.getByText('Confianza 90 %')).toBeInTheDocument();
  });
});
