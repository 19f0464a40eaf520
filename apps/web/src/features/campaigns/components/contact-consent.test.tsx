import { notifications } from '@mantine/notifications';
import type { ContactConsent as Consent } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { ContactConsent } from './contact-consent';

const contactId = '0190f0f0-0000-7000-8000-000000000004';
const none: Consent = {
  contactId,
  marketingConsent: false,
  consentAt: null,
  consentSource: null,
  optedOutAt: null,
  cancelledTasks: 0,
};
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('ContactConsent', () => {
  it('records a yes from WhatsApp in one tap from the menu', async () => {
    const calls: { url: string; method: string; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input);
        const method = init?.method ?? 'GET';
        calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : undefined });
        if (url.endsWith('/opt-out'))
          return json({ ...none, optedOutAt: '2026-11-26T20:00:00.000Z', cancelledTasks: 2 });
        if (method === 'POST')
          return json({
            ...none,
            marketingConsent: true,
            consentAt: '2026-11-26T15:00:00.000Z',
            consentSource: 'whatsapp',
          });
        return json(none);
      }),
    );
    await renderWithProviders(<ContactConsent contactId={contactId} timeZone="America/Lima" />);
    expect(await screen.findByTestId('contact-consent')).toHaveTextContent('No ha aceptado promociones');

    await userEvent.click(screen.getByRole('button', { name: 'Cambiar' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Aceptó por WhatsApp' }));
    await waitFor(() =>
      expect(screen.getByTestId('contact-consent')).toHaveTextContent(
        /Acepta promociones \(whatsapp, 26 nov/,
      ),
    );
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({
      url: `/api/v1/contacts/${contactId}/consent`,
      body: { source: 'whatsapp' },
    });
  });

  it('opts a consenting customer out, saying how many campaign tasks it cancelled', async () => {
    const given: Consent = {
      ...none,
      marketingConsent: true,
      consentAt: '2026-11-20T15:00:00.000Z',
      consentSource: 'tienda',
    };
    const calls: { url: string; method: string }[] = [];
    const shown = vi.spyOn(notifications, 'show');
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push({ url: String(input), method: init?.method ?? 'GET' });
        return String(input).endsWith('/opt-out')
          ? json({
              ...given,
              marketingConsent: false,
              optedOutAt: '2026-11-26T20:00:00.000Z',
              cancelledTasks: 2,
            })
          : json(given);
      }),
    );
    await renderWithProviders(<ContactConsent contactId={contactId} timeZone="America/Lima" />);
    expect(await screen.findByTestId('contact-consent')).toHaveTextContent(
      /Acepta promociones \(tienda, 20 nov/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cambiar' }));
    // Already consenting: the menu offers only the stop.
    expect(screen.queryByRole('menuitem', { name: 'Aceptó por WhatsApp' })).toBeNull();
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Dar de baja de promociones' }));
    await waitFor(() =>
      expect(screen.getByTestId('contact-consent')).toHaveTextContent(/Se dio de baja el 26 nov/),
    );
    expect(calls.at(-1)).toEqual({ url: `/api/v1/contacts/${contactId}/opt-out`, method: 'POST' });
    expect(shown).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Dado de baja; se cancelaron 2 tareas de campaña' }),
    );
  });
});
