import { changePasswordBody, pushPreferencesSchema } from '@techmarket/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getting, posting, problem, sending } from '../../../test/mocks/api';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { AccountPanel } from './account-page';

const user = { name: 'Dueña', email: 'duena@example.com' };

/** POST /me/password answers `answer()` (204 when it has none); bodies are recorded as the web sent them. */
function changingPassword(answer: () => Response | undefined = () => undefined) {
  const bodies: unknown[] = [];
  server.use(
    sending(
      'post',
      '/me/password',
      { body: changePasswordBody, schema: z.null(), status: 204 },
      (_body, { sent }) => {
        bodies.push(sent);
        return answer() ?? null;
      },
    ),
  );
  return bodies;
}

describe('AccountPanel', () => {
  // Its notifications card reads my push preferences.
  beforeEach(() =>
    server.use(
      getting('/me/push-preferences', pushPreferencesSchema, () => ({
        alerts: {
          leadAssigned: true,
          customerReplied: true,
          taskDue: true,
          escalation: true,
          quoteDecided: true,
        },
        quietHours: null,
        timeZone: null,
      })),
    ),
  );

  it('changes the password with the current one, and clears the form', async () => {
    const bodies = changingPassword();
    await renderWithProviders(<AccountPanel user={user} />);
    await userEvent.type(await screen.findByLabelText(/Contraseña actual/), 'la-clave-de-antes');
    await userEvent.type(screen.getByLabelText(/Nueva contraseña/), 'la-clave-de-ahora');
    await userEvent.click(screen.getByRole('button', { name: 'Cambiar contraseña' }));
    await waitFor(() =>
      expect(bodies).toEqual([{ currentPassword: 'la-clave-de-antes', newPassword: 'la-clave-de-ahora' }]),
    );
    await waitFor(() => expect(screen.getByLabelText(/Contraseña actual/)).toHaveValue(''));
  });

  it('shows a wrong current password on its field', async () => {
    changingPassword(() =>
      problem(422, {
        detail: 'currentPassword: wrong',
        errors: [{ path: 'currentPassword', message: 'not your current password', code: 'WRONG_PASSWORD' }],
      }),
    );
    await renderWithProviders(<AccountPanel user={user} />);
    await userEvent.type(await screen.findByLabelText(/Contraseña actual/), 'una-equivocada');
    await userEvent.type(screen.getByLabelText(/Nueva contraseña/), 'la-clave-de-ahora');
    await userEvent.click(screen.getByRole('button', { name: 'Cambiar contraseña' }));
    const message = await screen.findByText('No es tu contraseña actual');
    // Under the field it names, not above the form.
    expect(message.closest('[class*="InputWrapper-root"]')).toContainElement(
      screen.getByLabelText(/Contraseña actual/),
    );
    // (The notifications card below may hold its own notice: jsdom cannot be pushed to.)
    const passwordForm = screen.getByLabelText(/Contraseña actual/).closest('form');
    expect(passwordForm).not.toBeNull();
    expect(within(passwordForm as HTMLElement).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('logs out on every device and goes to the login', async () => {
    server.use(posting('/auth/logout-all', z.null(), () => null, 204));
    const requests = recordRequests();
    const { router } = await renderWithProviders(<AccountPanel user={user} />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cerrar sesión en todos los dispositivos' }),
    );
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    // The panel also reads my push preferences (its notifications card); the one write is logging out.
    expect(requests.filter((request) => request.method !== 'GET')).toEqual([
      { method: 'POST', path: '/api/v1/auth/logout-all' },
    ]);
  });
});
