import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { PushSettings } from './push-settings';

const saved = {
  alerts: { leadAssigned: true, customerReplied: true, taskDue: true, escalation: true, quoteDecided: true },
  quietHours: null,
  timeZone: null,
};

afterEach(() => vi.unstubAllGlobals());

describe('PushSettings', () => {
  it('says when the browser cannot be pushed to, and saves which alerts and the quiet hours', async () => {
    const writes: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        expect(String(input)).toBe('/api/v1/me/push-preferences');
        if (init?.method === 'PUT') writes.push(JSON.parse(String(init.body)));
        return Response.json(init?.method === 'PUT' ? JSON.parse(String(init.body)) : saved);
      }),
    );
    await renderWithProviders(<PushSettings />);
    // jsdom has no service worker, as an old browser or an iPhone's Safari outside the installed app.
    expect(screen.getByText(/no puede recibir notificaciones/)).toBeInTheDocument();

    await userEvent.click(await screen.findByLabelText('venza una de mis tareas'));
    await userEvent.click(screen.getByLabelText(/Horas de silencio/));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar preferencias' }));

    await waitFor(() =>
      expect(writes).toEqual([
        { ...saved, alerts: { ...saved.alerts, taskDue: false }, quietHours: { from: '22:00', to: '07:00' } },
      ]),
    );
    // Saved: nothing left to save.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Guardar preferencias' })).toBeDisabled());
  });
});
