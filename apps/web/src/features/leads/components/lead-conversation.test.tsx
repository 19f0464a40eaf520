import {
  type Conversation,
  type ConversationRead,
  conversationReadSchema,
  conversationSchema,
  type LeadDetail,
  type WhatsappMessage,
  whatsappTemplateListSchema,
} from '@techmarket/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLiveUpdates } from '../../../lib/live-updates';
import { getting, posting } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { LeadConversation } from './lead-conversation';

/** Just enough of EventSource (jsdom has none) for a test to play the server's part. */
class FakeEventSource extends EventTarget {
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(type: string, data: unknown) {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

const tenantId = '0190f0f0-0000-7000-8000-000000000002';
const leadId = '0190f0f0-0000-7000-8000-000000000001';
const lead = {
  id: leadId,
  tenantId,
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Quispe', phone: '+51987654321' },
  listing: null,
  assistance: null,
} as unknown as LeadDetail;

let n = 0;
const message = (changes: Partial<WhatsappMessage>): WhatsappMessage => {
  n += 1;
  return {
    id: `0190f0f0-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`,
    leadId,
    direction: 'IN',
    waMessageId: `wamid.${n}`,
    type: 'text',
    text: null,
    template: null,
    status: 'RECEIVED',
    error: null,
    media: null,
    createdAt: `2026-11-26T15:${String(n).padStart(2, '0')}:00.000Z`,
    ...changes,
  };
};

/** Answers the conversation and the templates; returns the calls that marked it read. */
function stubApi(conversation: Conversation) {
  const reads: string[] = [];
  server.use(
    getting(`/leads/${leadId}/messages`, conversationSchema, () => conversation),
    getting(
      `/tenants/${tenantId}/branches/:branchId/whatsapp-channel/templates`,
      whatsappTemplateListSchema,
      () => ({ items: [] }),
    ),
    posting(`/leads/${leadId}/messages/read`, conversationReadSchema, () => {
      reads.push(`/api/v1/leads/${leadId}/messages/read`);
      const read: ConversationRead = { leadId, unreadCount: 0, readAt: '2026-11-26T16:00:00.000Z' };
      return read;
    }),
  );
  return reads;
}

function Live() {
  useLiveUpdates(tenantId, '0190f0f0-0000-7000-8000-000000000010');
  return null;
}

beforeEach(() => {
  n = 0;
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => vi.unstubAllGlobals());

describe('LeadConversation', () => {
  it("marks the conversation read once the customer's messages are on screen (the inbox badge goes)", async () => {
    const reads = stubApi({
      items: [
        message({ text: 'Hola, ¿tienen stock?' }),
        message({ direction: 'OUT', status: 'SENT', text: 'Sí' }),
      ],
      nextCursor: null,
      window: { open: true, endsAt: '2026-11-27T15:01:00.000Z' },
      channel: { connected: true },
    });
    await renderWithProviders(<LeadConversation lead={lead} timeZone="America/Lima" />);
    await screen.findByText('Hola, ¿tienen stock?');
    await waitFor(() => expect(reads).toEqual([`/api/v1/leads/${leadId}/messages/read`]));
  });

  it("shows the customer's messages left and the shop's right, with ticks, media inline and the window's end", async () => {
    const read = message({ direction: 'OUT', status: 'READ', text: 'Sí, tenemos stock' });
    const items = [
      message({ text: '¿Tienen la laptop Lenovo?' }),
      read,
      message({
        direction: 'OUT',
        status: 'FAILED',
        text: 'Hola otra vez',
        error: { code: 131047, title: 'Re-engagement message' },
      }),
      message({
        type: 'image',
        text: 'así llegó la pantalla',
        media: { status: 'STORED', mimeType: 'image/jpeg', byteSize: 600 },
      }),
      message({
        type: 'audio',
        text: '[Voice note]',
        media: { status: 'STORED', mimeType: 'audio/ogg', byteSize: 9 },
      }),
      message({
        type: 'document',
        text: '[Document: factura.pdf]',
        media: { status: 'TOO_LARGE', mimeType: 'application/pdf', byteSize: 50_000_000 },
      }),
      message({ type: 'location', text: '[Location: Tienda Miraflores (-12.12, -77.03)]' }),
      message({ type: 'reaction', text: '[Reaction 👍]' }),
      message({ type: 'unsupported', text: '[Unsupported message: order]' }),
      message({ direction: 'OUT', status: 'QUEUED', text: 'Te escribo en un rato' }),
    ];
    stubApi({
      items,
      nextCursor: null,
      window: { open: true, endsAt: '2026-11-27T15:08:00.000Z' },
      channel: { connected: true },
    });
    const { container } = await renderWithProviders(<LeadConversation lead={lead} timeZone="America/Lima" />);
    await screen.findByText('¿Tienen la laptop Lenovo?');
    expect(screen.getAllByTestId('bubble-in')).toHaveLength(7);
    expect(screen.getAllByTestId('bubble-out')).toHaveLength(3);
    // Ticks: READ in blue, QUEUED a clock, FAILED with Meta's reason for the seller.
    expect(screen.getByLabelText('Leído')).toHaveTextContent('✓✓');
    expect(screen.getByLabelText('En cola')).toHaveTextContent('🕓');
    expect(screen.getByTestId('failed-reason')).toHaveTextContent(
      'No enviado: Re-engagement message (131047)',
    );
    // Media from the media endpoint; a too-large document says so.
    const photo = screen.getByRole('img', { name: 'así llegó la pantalla' });
    expect(photo).toHaveAttribute('src', `/api/v1/leads/${leadId}/messages/${items[3]?.id}/media`);
    expect(container.querySelector('audio')).toHaveAttribute(
      'src',
      `/api/v1/leads/${leadId}/messages/${items[4]?.id}/media`,
    );
    expect(screen.getByText(/factura\.pdf/)).toBeInTheDocument();
    expect(screen.getByText(/Archivo demasiado grande/)).toHaveTextContent('48 MB');
    expect(screen.getByText('📍 Tienda Miraflores')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ver en el mapa' })).toHaveAttribute(
      'href',
      expect.stringContaining('mlat=-12.12&mlon=-77.03'),
    );
    expect(screen.getByText('Reaccionó 👍')).toBeInTheDocument();
    expect(screen.getByText(/aún no muestra \(order\)/)).toBeInTheDocument();
    // 15:08 UTC is 10:08 in Lima.
    expect(screen.getByTestId('window')).toHaveTextContent(/abierta hasta .*10:08/);
    // Each bubble's time is the branch's: 15:02 UTC is 10:02 in Lima.
    expect(
      within(screen.getAllByTestId('bubble-in')[0] as HTMLElement).getByText(/10:02/),
    ).toBeInTheDocument();
  });

  it('moves the ticks and adds messages live from the stream', async () => {
    const sent = message({ direction: 'OUT', status: 'SENT', text: 'Hola Rosa' });
    const served: Conversation = {
      items: [message({ text: 'Hola' }), sent],
      nextCursor: null,
      window: { open: true, endsAt: '2026-11-27T15:01:00.000Z' },
      channel: { connected: true },
    };
    stubApi(served);
    await renderWithProviders(
      <>
        <Live />
        <LeadConversation lead={lead} timeZone="America/Lima" />
      </>,
    );
    await screen.findByText('Hola Rosa');
    expect(screen.getByLabelText('Enviado')).toHaveTextContent('✓');
    const [source] = FakeEventSource.instances;
    if (!source) throw new Error('the live stream was not opened');
    act(() => source.emit('message.updated', { leadId, message: { ...sent, status: 'DELIVERED' } }));
    expect(await screen.findByLabelText('Entregado')).toHaveTextContent('✓✓');
    act(() => source.emit('message.updated', { leadId, message: { ...sent, status: 'READ' } }));
    expect(await screen.findByLabelText('Leído')).toBeInTheDocument();
    const reply = message({ text: '¿Y el precio?', createdAt: '2026-11-26T16:00:00.000Z' });
    // A customer's message also refreshes the window: the server has it by then.
    served.items = [...served.items, reply];
    act(() => source.emit('message.created', { leadId, message: reply }));
    expect(await screen.findByText('¿Y el precio?')).toBeInTheDocument();
    // Another lead's message is not this conversation's.
    act(() =>
      source.emit('message.created', {
        leadId: '0190f0f0-0000-7000-8000-000000000099',
        message: { ...reply, id: '0190f0f0-0000-7000-8000-000000000199', text: 'otro lead' },
      }),
    );
    expect(screen.queryByText('otro lead')).not.toBeInTheDocument();
  });

  it('says the branch has no channel, and shows no composer, when there is none and nothing was said', async () => {
    stubApi({
      items: [],
      nextCursor: null,
      window: { open: false, endsAt: null },
      channel: { connected: false },
    });
    await renderWithProviders(<LeadConversation lead={lead} timeZone="America/Lima" />);
    expect(await screen.findByTestId('no-channel')).toHaveTextContent(
      'no tiene un número de WhatsApp conectado',
    );
    expect(screen.queryByRole('button', { name: 'Enviar' })).not.toBeInTheDocument();
  });
});
