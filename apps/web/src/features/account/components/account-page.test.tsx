import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { AccountPanel } from './account-page';

const user = { name: 'Dueña', email: 'duena@example.com' };
const problem = (status: number, errors: { path: string; message: string }[], detail: string) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Unprocessable', status, detail, errors }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

afterEach(() => vi.unstubAllGlobals());

describe('AccountPanel', () => {
  it('changes the password with the current one, and clears the form', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        expect(String(input)).toBe('/api/v1/me/password');
        bodies.push(JSON.parse(String(init?.body)));
        return new Response(null, { status: 204 });
      }),
    );
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
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        problem(
          422,
          [{ path: 'currentPassword', message: 'not your current password' }],
          'currentPassword: wrong',
        ),
      ),
    );
    await renderWithProviders(<AccountPanel user={user} />);
    await userEvent.type(await screen.findByLabelText(/Contraseña actual/), 'una-equivocada');
    await userEvent.type(screen.getByLabelText(/Nueva contraseña/), 'la-clave-de-ahora');
    await userEvent.click(screen.getByRole('button', { name: 'Cambiar contraseña' }));
    expect(await screen.findByText(/not your current password/)).toBeInTheDocument();
  });

  it('logs out on every device and goes to the login', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        calls.push(String(input));
        return new Response(null, { status: 204 });
      }),
    );
    const { router } = await renderWithProviders(<AccountPanel user={user} />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cerrar sesión en todos los dispositivos' }),
    );
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    // The panel also reads my push preferences (its notifications card); the one write is logging out.
    expect(calls.filter((call) => !call.endsWith('/me/push-preferences'))).toEqual([
      '/api/v1/auth/logout-all',
    ]);
  });
});
