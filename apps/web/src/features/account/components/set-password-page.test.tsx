import { resetPasswordBody, sessionSchema, sessionStateResponse } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { getting, problem, sending } from '../../../test/mocks/api';
import { aUser } from '../../../test/mocks/fixtures';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { ResetPasswordPage } from './set-password-page';

const signedOut: z.input<typeof sessionStateResponse> = { authenticated: false };

/** POST /auth/reset-password answers `answer()`; the bodies are recorded as the web sent them. */
function resetting(answer: () => Response | undefined = () => undefined) {
  const bodies: unknown[] = [];
  server.use(
    getting('/session', sessionStateResponse, () => signedOut),
    sending(
      'post',
      '/auth/reset-password',
      { body: resetPasswordBody, schema: sessionSchema, status: 200 },
      (_body, { sent }) => {
        bodies.push(sent);
        return answer() ?? { token: 'tms_x', csrfToken: 'c', user: aUser() };
      },
    ),
  );
  return bodies;
}

describe('ResetPasswordPage', () => {
  it('sends the token of the link with the new password', async () => {
    const bodies = resetting();
    await renderWithProviders(<ResetPasswordPage />, { path: `/login?token=tmr_${'a'.repeat(43)}` });
    await userEvent.type(await screen.findByLabelText(/Nueva contraseña/), 'una-clave-nueva-larga');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar y entrar' }));
    await waitFor(() =>
      expect(bodies).toEqual([{ token: `tmr_${'a'.repeat(43)}`, password: 'una-clave-nueva-larga' }]),
    );
  });

  it('says why when the link was used or expired, and checks the length before asking', async () => {
    const calls = resetting(() =>
      problem(422, {
        detail: 'This link is not valid, was already used, or has expired',
        errors: [{ path: 'token', message: 'invalid, used or expired' }],
      }),
    );
    await renderWithProviders(<ResetPasswordPage />, { path: `/login?token=tmr_${'b'.repeat(43)}` });
    await userEvent.type(await screen.findByLabelText(/Nueva contraseña/), 'corta');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar y entrar' }));
    expect(
      await screen.findByText('Al menos 10 caracteres', { selector: '.mantine-InputWrapper-error' }),
    ).toBeInTheDocument();
    expect(calls).toEqual([]);
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
