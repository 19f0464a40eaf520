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
    // Only the demo question (GET /demo) went out: no login.
    expect(
      fetch.mock.calls.map(([url]) => String(url)).filter((url) => !url.endsWith('/api/v1/demo')),
    ).toEqual([]);
  });

  it('offers "Probar como cliente" when the server runs the WhatsApp simulator, and nothing otherwise', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { customerPhoneUrl: '/simulator/whatsapp/phone' })),
    );
    const { unmount } = await renderWithProviders(<LoginPage />, { path: '/login' });
    const link = await screen.findByRole('link', { name: 'Probar como cliente' });
    expect(link).toHaveAttribute('href', '/simulator/whatsapp/phone');
    unmount();

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { customerPhoneUrl: null })),
    );
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await screen.findByRole('button', { name: 'Ingresar' });
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    expect(screen.queryByRole('link', { name: 'Probar como cliente' })).toBeNull();
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

  it('says the account is locked and for how long, when the API locked it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(
          429,
          {
            type: 'urn:techmarket:problem:account-locked',
            title: 'Account temporarily locked',
            status: 429,
            detail:
              'This account is temporarily locked after too many failed sign-in attempts; try again in 15 min',
            instance: '/api/v1/auth/login',
            code: 'ACCOUNT_LOCKED',
            retryAfter: 840,
          },
          'application/problem+json',
        ),
      ),
    );
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await userEvent.type(await screen.findByLabelText(/Correo electrónico/), 'owner@techperu.pe');
    await userEvent.type(screen.getByLabelText(/Contraseña/), 'techmarket2026');
    await userEvent.click(screen.getByRole('button', { name: 'Ingresar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Bloqueamos temporalmente el ingreso a esta cuenta tras varios intentos fallidos. Vuelve a intentarlo en 14 min.',
    );
  });

  it('offers the shops the credentials open, and signs in to the one chosen', async () => {
    const tenants = [
      { id: '01a24ed7-b6c8-720f-9557-c6ba93b4ac4b', name: 'Tienda Norte' },
      { id: '01a24ed7-b6f9-775b-a127-9adf99f2985c', name: 'Tienda Sur' },
    ];
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      if (url.endsWith('/auth/login')) {
        const body = JSON.parse(String(init.body));
        if (!body.tenantId)
          return json(
            409,
            {
              type: 'urn:techmarket:problem:tenant-choice',
              title: 'Choose a shop',
              status: 409,
              detail: 'This e-mail and password open several shops; name one in tenantId',
              instance: '/api/v1/auth/login',
              code: 'TENANT_CHOICE',
              tenants,
            },
            'application/problem+json',
          );
        return json(200, { token: 't', csrfToken: 'c', user: {} });
      }
      // GET /me after the login: left pending, the page stays put for the assertions.
      return new Promise<Response>(() => undefined);
    });
    vi.stubGlobal('fetch', fetch);
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await userEvent.type(await screen.findByLabelText(/Correo electrónico/), 'owner@techperu.pe');
    await userEvent.type(screen.getByLabelText(/Contraseña/), 'techmarket2026');
    await userEvent.click(screen.getByRole('button', { name: 'Ingresar' }));

    expect(
      await screen.findByText('Tu correo y contraseña abren varias tiendas. ¿A cuál quieres ingresar?'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'Tienda Sur' }));
    await userEvent.click(screen.getByRole('button', { name: 'Ingresar' }));
    // The two logins and the /me after them (the page's GET /demo aside).
    const calls = () => fetch.mock.calls.filter(([url]) => !url.endsWith('/api/v1/demo'));
    await waitFor(() => expect(calls()).toHaveLength(3));
    const second = calls()[1];
    expect(second?.[0]).toMatch(/\/auth\/login$/);
    expect(JSON.parse(String(second?.[1].body))).toEqual({
      email: 'owner@techperu.pe',
      password: 'techmarket2026',
      tenantId: tenants[1]?.id,
    });
  });
});
