import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { ApiKeysPanel } from './api-keys-panel';

const tenantId = '019ac0a1-0000-7000-8000-00000000beef';
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const listed = {
  id: '019ac0a1-0000-7000-8000-0000000000aa',
  name: 'Marketplace',
  prefix: 'tmk_abcdef',
  scopes: ['tracking:write', 'leads:read'],
  expiresAt: '2027-01-01T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  createdAt: '2026-11-26T15:00:00.000Z',
};

afterEach(() => vi.unstubAllGlobals());

describe('ApiKeysPanel', () => {
  it('creates a key with the chosen scopes and expiry, and lists each key with them', async () => {
    const bodies: Record<string, unknown>[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'POST') {
          bodies.push(JSON.parse(String(init.body)));
          return json({ ...listed, key: 'tmk_secret' }, 201);
        }
        return json({ items: [listed] });
      }),
    );
    await renderWithProviders(<ApiKeysPanel tenantId={tenantId} />);
    expect(await screen.findByText('leads:read')).toBeInTheDocument();
    expect(screen.getByText('tracking:write')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Nombre de la clave', { exact: false }), 'Lector');
    await userEvent.click(screen.getByLabelText('Leer indicadores'));
    await userEvent.click(screen.getByLabelText('Registrar clics y vistas'));
    await userEvent.selectOptions(screen.getByLabelText('Vencimiento'), '90');
    await userEvent.click(screen.getByRole('button', { name: 'Crear clave' }));
    expect(await screen.findByText('tmk_secret')).toBeInTheDocument();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ name: 'Lector', scopes: ['analytics:read'] });
    const days = (Date.parse(String(bodies[0]?.expiresAt)) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
  });
});
