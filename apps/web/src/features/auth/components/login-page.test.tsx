import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { LoginPage } from './login-page';

afterEach(() => vi.unstubAllGlobals());

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('LoginPage', () => {
  it('checks the form before calling the API', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await userEvent.click(await screen.findByRole('button', { name: 'Ingresar' }));
    expect(await screen.findByText('Escribe un correo válido')).toBeInTheDocument();
    expect(screen.getByText('Escribe tu contraseña')).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('explains a wrong password in plain Spanish', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(
          401,
          {
            type: 'urn:techmarket:problem:unauthenticated',
            title: 'Authentication required',
            status: 401,
            detail: 'Wrong e-mail or password',
            instance: '/api/v1/auth/login',
            code: 'UNAUTHENTICATED',
          },
          'application/problem+json',
        ),
      ),
    );
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await userEvent.type(await screen.findByLabelText(/Correo electrónico/), 'owner@techperu.pe');
    await userEvent.type(screen.getByLabelText(/Contraseña/), 'not-the-password');
    await userEvent.click(screen.getByRole('button', { name: 'Ingresar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('El correo o la contraseña no son correctos.');
  });

  it('says when the server cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await userEvent.type(await screen.findByLabelText(/Correo electrónico/), 'owner@techperu.pe');
    await userEvent.type(screen.getByLabelText(/Contraseña/), 'techmarket2026');
    await userEvent.click(screen.getByRole('button', { name: 'Ingresar' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('No pudimos conectar con el servidor'),
    );
  });
});
