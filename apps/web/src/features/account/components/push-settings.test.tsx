import { type PushPreferences, pushPreferencesSchema } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getting, sending } from '../../../test/mocks/api';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { PushSettings } from './push-settings';

const saved: PushPreferences = {
  alerts: { leadAssigned: true, customerReplied: true, taskDue: true, escalation: true, quoteDecided: true },
  quietHours: null,
  timeZone: null,
};

describe('PushSettings', () => {
  it('says when the browser cannot be pushed to, and saves which alerts and the quiet hours', async () => {
    const writes = recordRequests({ bodies: true });
    server.use(
      getting('/me/push-preferences', pushPreferencesSchema, () => saved),
      sending(
        'put',
        '/me/push-preferences',
        { body: pushPreferencesSchema, schema: pushPreferencesSchema },
        (body) => body,
      ),
    );
    await renderWithProviders(<PushSettings />);
    // jsdom has no service worker, as an old browser or an iPhone's Safari outside the installed app.
    expect(screen.getByText(/no puede recibir notificaciones/)).toBeInTheDocument();

    await userEvent.click(await screen.findByLabelText('venza una de mis tareas'));
    await userEvent.click(screen.getByLabelText(/Horas de silencio/));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar preferencias' }));

    await waitFor(() =>
      expect(writes.filter((request) => request.method === 'PUT')).toEqual([
        {
          method: 'PUT',
          path: '/api/v1/me/push-preferences',
          body: {
            ...saved,
            alerts: { ...saved.alerts, taskDue: false },
            quietHours: { from: '22:00', to: '07:00' },
          },
        },
      ]),
    );
    // Saved: nothing left to save.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Guardar preferencias' })).toBeDisabled());
  });

  it('picks the quiet hours time zone from the searchable list, Latin America first', async () => {
    const writes = recordRequests({ bodies: true });
    server.use(
      getting('/me/push-preferences', pushPreferencesSchema, () => ({
        ...saved,
        quietHours: { from: '22:00', to: '07:00' },
      })),
      sending(
        'put',
        '/me/push-preferences',
        { body: pushPreferencesSchema, schema: pushPreferencesSchema },
        (body) => body,
      ),
    );
    await renderWithProviders(<PushSettings />);
    const zone = await screen.findByRole('combobox', { name: /Zona horaria/ });
    // No zone of its own: the lead's branch's, as the placeholder says.
    expect(zone).toHaveValue('');
    expect(zone).toHaveAttribute('placeholder', 'La de la sucursal del lead');
    await userEvent.click(zone);
    const [first] = await screen.findAllByRole('option');
    expect(first).toHaveTextContent('America/Mexico_City');
    await userEvent.type(zone, 'bogo');
    await userEvent.click(await screen.findByRole('option', { name: 'Bogota (GMT-5) · America/Bogota' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar preferencias' }));
    await waitFor(() =>
      expect(writes.filter((request) => request.method === 'PUT').map((request) => request.body)).toEqual([
        { ...saved, quietHours: { from: '22:00', to: '07:00' }, timeZone: 'America/Bogota' },
      ]),
    );
  });
});
