import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { ResetPasswordPage } from './set-password-page';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

afterEach(() => vi.unstubAllGlobals());

describe('ResetPasswordPage', () => {
  it('sends the token of the link with the new password', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input) === '/api/v1/auth/reset-password') {
          bodies.push(JSON.parse(String(init?.body)));
          return json({ token: 'tms_x', csrfToken: 'c', user: {} });
        }
        if (String(input) === '/api/v1/session') return json({ authenticated: false });
        return json({ status: 401, title: 'Unauthenticated' }, 401);
      }),
    );
    await renderWithProviders(<ResetPasswordPage />, { path: `/login?token=tmr_${'a'.repeat(43)}` });
    await userEvent.type(await screen.findByLabelText(/Nueva contraseña/), 'una-clave-nueva-larga');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar y entrar' }));
    await waitFor(() =>
      expect(bodies).toEqual([{ token: `tmr_${'a'.repeat(43)}`, password: 'una-clave-nueva-larga' }]),
    );
  });

  it('says why when the link was used or expired, and checks the length before asking', async () => {
    const calls = vi.fn(async () =>
      json(
        {
          type: 'about:blank',
          title: 'Unprocessable',
          status: 422,
          detail: 'This link is not valid, was already used, or has expired',
          errors: [{ path: 'token', message: 'invalid, used or expired' }],
        },
        422,
      ),
    );
    vi.stubGlobal('fetch', calls);
    await renderWithProviders(<ResetPasswordPage />, { path: `/login?token=tmr_${'b'.repeat(43)}` });
    await userEvent.type(await screen.findByLabelText(/Nueva contraseña/), 'corta');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar y entrar' }));
    expect(
      await screen.findByText('Al menos 10 caracteres', { selector: '.mantine-InputWrapper-error' }),
    ).toBeInTheDocument();
    expect(calls).not.toHaveBeenCalled();
    await userEvent.type(screen.getByLabelText(/Nueva contraseña/), '-ya-no-tan-corta');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar y entrar' }));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
  });

  it('without a token, says the link is incomplete', async () => {
    await renderWithProviders(<ResetPasswordPage />, { path: '/login' });
    expect(await screen.findByText(/Este enlace está incompleto/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Guardar y entrar' })).toBeDisabled();
  });
});
