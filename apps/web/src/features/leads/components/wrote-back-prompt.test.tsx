import { Notifications } from '@mantine/notifications';
import type { LeadDetail } from '@techmarket/contracts';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { useWroteBack } from '../hooks/use-wrote-back';
import {
  type LeadUpdate,
  leadEvent,
  leadHistoryHandlers,
  leadUpdateHandler,
  newLead,
} from '../test/fixtures';
import { AssistantCard } from './assistant-card';
import { WroteBackPrompt } from './wrote-back-prompt';

/** The lead page's wiring: the card's wa.me button, the prompt, and whether the branch has a channel. */
function LeadPageParts({ lead, channel = false }: { lead: LeadDetail; channel?: boolean }) {
  // The channel may become known after a tap: the page learns it from the conversation, which loads on its own.
  const [viaChannel, setViaChannel] = useState(channel);
  const wroteBack = useWroteBack(lead, viaChannel);
  return (
    <>
      <Notifications />
      <AssistantCard lead={lead} viaChannel={viaChannel} onWhatsappOpened={wroteBack.opened} />
      <WroteBackPrompt lead={lead} asking={wroteBack.asking} done={wroteBack.done} />
      <button type="button" onClick={() => setViaChannel(true)}>
        canal conectado
      </button>
    </>
  );
}

let visibility: DocumentVisibilityState = 'visible';
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });

/** The seller goes to WhatsApp and comes back: a phone hides the page, a desktop leaves the window. */
const goAndComeBack = (how: 'phone' | 'desktop') =>
  act(() => {
    if (how === 'phone') {
      visibility = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      visibility = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
    } else {
      window.dispatchEvent(new Event('blur'));
      window.dispatchEvent(new Event('focus'));
    }
  });

const history = [leadEvent('MESSAGE_RECEIVED', { text: 'precio del router?' }, 0)];
const useReply = () => screen.findByRole('link', { name: 'Responder por WhatsApp con esto' });

afterEach(() => {
  visibility = 'visible';
});

describe('"¿Le escribiste?" after replying by wa.me', () => {
  it('asks on coming back, and one "Sí" moves the lead to CONTACTED once, however often it is tapped', async () => {
    const changes: LeadUpdate[] = [];
    server.use(...leadHistoryHandlers(history), leadUpdateHandler(newLead, changes));
    await renderWithProviders(<LeadPageParts lead={newLead} />);
    await userEvent.click(await useReply());
    // Not while the seller is still here: only once they have been to WhatsApp.
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await goAndComeBack('phone');

    const dialog = await screen.findByRole('dialog', { name: '¿Le escribiste?' });
    expect(dialog).toHaveTextContent('Si ya le enviaste el mensaje a Rosa Quispe por WhatsApp');
    const yes = screen.getByRole('button', { name: 'Sí' });
    // A double tap: both land before the prompt has gone.
    await act(async () => {
      yes.click();
      yes.click();
    });
    expect(await screen.findByText('Lead movido a Contactado')).toBeInTheDocument();
    expect(changes).toEqual([{ status: 'CONTACTED', version: 1 }]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    // Coming back again without another wa.me asks nothing more.
    await goAndComeBack('desktop');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(changes).toHaveLength(1);
  });

  it('"Todavía no" leaves the lead as it is, and asks again after the next wa.me', async () => {
    const changes: LeadUpdate[] = [];
    server.use(...leadHistoryHandlers(history), leadUpdateHandler(newLead, changes));
    await renderWithProviders(<LeadPageParts lead={newLead} />);
    await userEvent.click(await useReply());
    await goAndComeBack('desktop');
    await userEvent.click(await screen.findByRole('button', { name: 'Todavía no' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await userEvent.click(await useReply());
    await goAndComeBack('desktop');
    expect(await screen.findByRole('dialog', { name: '¿Le escribiste?' })).toBeInTheDocument();
    expect(changes).toEqual([]);
  });

  it('does not ask about a lead that is no longer NEW', async () => {
    server.use(...leadHistoryHandlers(history));
    await renderWithProviders(<LeadPageParts lead={{ ...newLead, status: 'CONTACTED' }} />);
    await userEvent.click(await useReply());
    await goAndComeBack('phone');
    // The card is still there and the return was seen; nothing asks.
    expect(screen.getByTestId('suggested-reply')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('does not ask where the branch has a WhatsApp channel: the reply sent from the CRM is the response', async () => {
    server.use(...leadHistoryHandlers(history));
    const page = await renderWithProviders(<LeadPageParts lead={newLead} channel />);
    expect(await screen.findByTestId('suggested-reply')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Responder por WhatsApp con esto' })).not.toBeInTheDocument();
    page.unmount();

    // wa.me tapped before the page knew of the channel: the return asks nothing once it knows.
    await renderWithProviders(<LeadPageParts lead={newLead} />);
    await userEvent.click(await useReply());
    await userEvent.click(screen.getByRole('button', { name: 'canal conectado' }));
    await goAndComeBack('phone');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
