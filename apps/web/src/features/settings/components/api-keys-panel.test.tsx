import { apiKeySchema, createApiKeyBody, createdApiKeySchema } from '@techmarket/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { listing, sending } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import type { ApiKey } from '../api/admin';
import { ApiKeysPanel } from './api-keys-panel';

const tenantId = '019ac0a1-0000-7000-8000-00000000beef';
const listed: ApiKey = {
  id: '019ac0a1-0000-7000-8000-0000000000aa',
  name: 'Marketplace',
  prefix: 'tmk_abcdef',
  scopes: ['tracking:write', 'leads:read'],
  expiresAt: '2027-01-01T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  createdAt: '2026-11-26T15:00:00.000Z',
};

describe('ApiKeysPanel', () => {
  it('creates a key with the chosen scopes and expiry, and lists each key with them', async () => {
    const bodies: Record<string, unknown>[] = [];
    const path = `/tenants/${tenantId}/api-keys`;
    server.use(
      listing(path, apiKeySchema, [listed]),
      sending('post', path, { body: createApiKeyBody, schema: createdApiKeySchema }, (body) => {
        bodies.push(body);
        return { ...listed, key: 'tmk_secret' };
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
