import { notifications } from '@mantine/notifications';
import { type ContactConsent as Consent, consentBody, contactConsentSchema } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getting, posting, sending } from '../../../test/mocks/api';
import { recordRequests, server } from '../../../test/mocks/server';
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
const consentPath = `/contacts/${contactId}/consent`;
/** The contact's consent (`read`), what a yes answers (`given`) and what an opt-out answers (`optedOut`). */
function serveConsent({ read, given, optedOut }: { read: Consent; given?: Consent; optedOut?: Consent }) {
  const consents: unknown[] = [];
  server.use(
    getting(consentPath, contactConsentSchema, () => read),
    sending(
      'post',
      consentPath,
      { body: consentBody, schema: contactConsentSchema, status: 200 },
      (_body, { sent }) => {
        consents.push(sent);
        return given ?? read;
      },
    ),
    posting(`/contacts/${contactId}/opt-out`, contactConsentSchema, () => optedOut ?? read),
  );
  return { consents, requests: recordRequests() };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ContactConsent', () => {
  it('records a yes from WhatsApp in one tap from the menu', async () => {
    const { consents, requests } = serveConsent({
      read: none,
      given: {
        ...none,
        marketingConsent: true,
        consentAt: '2026-11-26T15:00:00.000Z',
        consentSource: 'whatsapp',
      },
      optedOut: { ...none, optedOutAt: '2026-11-26T20:00:00.000Z', cancelledTasks: 2 },
    });
    await renderWithProviders(<ContactConsent contactId={contactId} timeZone="America/Lima" />);
    expect(await screen.findByTestId('contact-consent')).toHaveTextContent('No ha aceptado promociones');

    await userEvent.click(screen.getByRole('button', { name: 'Cambiar' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Aceptó por WhatsApp' }));
    await waitFor(() =>
      expect(screen.getByTestId('contact-consent')).toHaveTextContent(
        /Acepta promociones \(por WhatsApp, 26 nov/,
      ),
    );
    expect(requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: `/api/v1/contacts/${contactId}/consent` },
    ]);
    expect(consents).toEqual([{ source: 'whatsapp' }]);
  });

  it('opts a consenting customer out, saying how many campaign tasks it cancelled', async () => {
    const given: Consent = {
      ...none,
      marketingConsent: true,
      consentAt: '2026-11-20T15:00:00.000Z',
      consentSource: 'tienda',
    };
    const shown = vi.spyOn(notifications, 'show');
    const { requests } = serveConsent({
      read: given,
      optedOut: {
        ...given,
        marketingConsent: false,
        optedOutAt: '2026-11-26T20:00:00.000Z',
        cancelledTasks: 2,
      },
    });
    await renderWithProviders(<ContactConsent contactId={contactId} timeZone="America/Lima" />);
    expect(await screen.findByTestId('contact-consent')).toHaveTextContent(
      /Acepta promociones \(en la tienda, 20 nov/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cambiar' }));
    // Already consenting: the menu offers only the stop.
    expect(screen.queryByRole('menuitem', { name: 'Aceptó por WhatsApp' })).toBeNull();
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Dar de baja de promociones' }));
    await waitFor(() =>
      expect(screen.getByTestId('contact-consent')).toHaveTextContent(/Se dio de baja el 26 nov/),
    );
    expect(requests.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: `/api/v1/contacts/${contactId}/opt-out` },
    ]);
    expect(shown).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Dado de baja; se cancelaron 2 tareas de campaña' }),
    );
  });
});
