import type { LeadDetail } from '@techmarket/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { AssistantCard } from './assistant-card';

const lead = {
  id: '0190f0f0-0000-7000-8000-000000000001',
  tenantId: '0190f0f0-0000-7000-8000-000000000002',
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Quispe', phone: '+51987654321' },
  listing: null,
  assistance: {
    id: '0190f0f0-0000-7000-8000-000000000006',
    leadType: 'SALE',
    priority: 'MEDIUM',
    suggestedReply: 'Hola Rosa, sí tenemos stock. ¿Te la separo?',
    nextBestAction: 'Confirmar stock y precio',
    alternatives: [],
    confidence: 0.9,
    reasons: [],
    provider: 'builtin',
    model: 'builtin',
    createdAt: '2026-11-26T15:00:00.000Z',
  },
} as unknown as LeadDetail;

describe('AssistantCard', () => {
  it('offers the reply by wa.me on a branch without a WhatsApp channel', async () => {
    await renderWithProviders(<AssistantCard lead={lead} />);
    const reply = await screen.findByRole('link', { name: 'Responder por WhatsApp con esto' });
    expect(reply.getAttribute('href')).toContain('https://wa.me/51987654321');
  });

  it('leaves the reply to the conversation composer where the branch has a channel', async () => {
    await renderWithProviders(<AssistantCard lead={lead} viaChannel />);
    expect(await screen.findByText('Hola Rosa, sí tenemos stock. ¿Te la separo?')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Responder por WhatsApp con esto' })).not.toBeInTheDocument();
  });

  it('shows the next step on an open lead, and none on a won or lost one', async () => {
    const replying = {
      ...lead,
      status: 'CONTACTED',
      assistance: { ...lead.assistance, nextBestAction: 'REPLY_NOW' },
    };
    const view = await renderWithProviders(<AssistantCard lead={replying as LeadDetail} />);
    expect(await screen.findByText('Responder ahora')).toBeInTheDocument();
    view.unmount();
    for (const status of ['WON', 'LOST'] as const) {
      const closed = await renderWithProviders(
        <AssistantCard lead={{ ...replying, status } as LeadDetail} />,
      );
      expect(await screen.findByText('Hola Rosa, sí tenemos stock. ¿Te la separo?')).toBeInTheDocument();
      expect(screen.queryByText('Siguiente paso')).toBeNull();
      expect(screen.queryByText('Responder ahora')).toBeNull();
      closed.unmount();
    }
  });
});
