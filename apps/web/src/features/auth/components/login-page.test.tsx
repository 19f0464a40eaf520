import { demoInfoSchema, loginBody, loginProblem, sessionSchema } from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { getting, problem, sending } from '../../../test/mocks/api';
import { aUser } from '../../../test/mocks/fixtures';
import { recordRequests, server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { LoginPage } from './login-page';

/** The login page asks GET /demo whether to offer the simulated customer phone. */
const demo = (customerPhoneUrl: string | null) =>
  getting('/demo', demoInfoSchema, () => ({ customerPhoneUrl }));
/** POST /auth/login answers `answer(body)` (the body as the web sent it is recorded). */
const loggingIn = (
  answer: (body: { tenantId?: string | undefined }) => z.input<typeof sessionSchema> | Response,
  sent: unknown[] = [],
) =>
  sending('post', '/auth/login', { body: loginBody, schema: sessionSchema, status: 200 }, (body, request) => {
    sent.push(request.sent);
    return answer(body);
  });
const loginRefused = (status: number, fields: Partial<z.input<typeof loginProblem>>) =>
  problem(status, { instance: '/api/v1/auth/login', ...fields }, loginProblem);

describe('LoginPage', () => {
  it('checks the form before calling the API', async () => {
    server.use(demo(null));
    const requests = recordRequests();
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await userEvent.click(await screen.findByRole('button', { name: 'Ingresar' }));
    expect(await screen.findByText('Escribe un correo válido')).toBeInTheDocument();
    expect(screen.getByText('Escribe tu contraseña')).toBeInTheDocument();
    // Only the demo question (GET /demo) went out: no login.
    expect(requests.filter((request) => request.path !== '/api/v1/demo')).toEqual([]);
  });

  it('offers "Probar como cliente" when the server runs the WhatsApp simulator, and nothing otherwise', async () => {
    server.use(demo('/simulator/whatsapp/phone'));
    const { unmount } = await renderWithProviders(<LoginPage />, { path: '/login' });
    const link = await screen.findByRole('link', { name: 'Probar como cliente' });
    expect(link).toHaveAttribute('href', '/simulator/whatsapp/phone');
    unmount();

    server.use(demo(null));
    const requests = recordRequests();
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await screen.findByRole('button', { name: 'Ingresar' });
    await waitFor(() => expect(requests).toContainEqual({ method: 'GET', path: '/api/v1/demo' }));
    expect(screen.queryByRole('link', { name: 'Probar como cliente' })).toBeNull();
  });

  it('explains a wrong password in plain Spanish', async () => {
    server.use(
      demo(null),
      loggingIn(() =>
        loginRefused(401, {
          type: 'urn:techmarket:problem:unauthenticated',
          title: 'Authentication required',
          detail: 'Wrong e-mail or password',
          code: 'UNAUTHENTICATED',
        }),
      ),
    );
    await renderWithProviders(<LoginPage />, { path: '/login' });
    await userEvent.type(await screen.findByLabelText(/Correo electrónico/), 'owner@techperu.pe');
    await userEvent.type(screen.getByLabelText(/Contraseña/), 'not-the-password');
    await userEvent.click(screen.getByRole('button', { name: 'Ingresar' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('El correo o la contraseña no son correctos.');
  });

  it('says when the server cannot be reached', async () => {
    server.use(
      demo(null),
      http.post('*/api/v1/auth/login', () => HttpResponse.error()),
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
    server.use(
      demo(null),
      loggingIn(() =>
        loginRefused(429, {
          type: 'urn:techmarket:problem:account-locked',
          title: 'Account temporarily locked',
          detail:
            'This account is temporarily locked after too many failed sign-in attempts; try again in 15 min',
          code: 'ACCOUNT_LOCKED',
          retryAfter: 840,
        }),
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
    const sent: unknown[] = [];
    server.use(
      demo(null),
      loggingIn(
        (body) =>
          body.tenantId
            ? { token: 't', csrfToken: 'c', user: aUser() }
            : loginRefused(409, {
                type: 'urn:techmarket:problem:tenant-choice',
                title: 'Choose a shop',
                detail: 'This e-mail and password open several shops; name one in tenantId',
                code: 'TENANT_CHOICE',
                tenants,
              }),
        sent,
      ),
      // GET /session after the login: left pending, the page stays put for the assertions.
      http.get('*/api/v1/session', async () => {
        await delay('infinite');
        return HttpResponse.error();
      }),
    );
    const requests = recordRequests();
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
    // The two logins and the session read after them (the page's GET /demo aside).
    await waitFor(() =>
      expect(requests.filter((request) => request.path !== '/api/v1/demo')).toEqual([
        { method: 'POST', path: '/api/v1/auth/login' },
        { method: 'POST', path: '/api/v1/auth/login' },
        { method: 'GET', path: '/api/v1/session' },
      ]),
    );
    expect(sent[1]).toEqual({
      email: 'owner@techperu.pe',
      password: 'techmarket2026',
      tenantId: tenants[1]?.id,
    });
  });
});
