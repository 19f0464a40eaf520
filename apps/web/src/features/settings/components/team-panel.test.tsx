import { branchSchema, passwordResetLinkSchema, type User, userSchema } from '@techmarket/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { listing, posting } from '../../../test/mocks/api';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { TeamPanel } from './team-panel';

const tenantId = '019ac0a1-0000-7000-8000-00000000beef';
const user = (id: string, name: string, role: User['role']): User => ({
  id,
  tenantId,
  email: `${name.toLowerCase()}@example.com`,
  name,
  role,
  branchIds: [],
  active: true,
  available: true,
  invitationPending: false,
  lastLoginAt: null,
  createdAt: '2026-11-26T15:00:00.000Z',
  updatedAt: '2026-11-26T15:00:00.000Z',
  version: 1,
});
const owner = user('019ac0a1-0000-7000-8000-000000000001', 'Dueña', 'OWNER');
const manager = user('019ac0a1-0000-7000-8000-000000000002', 'Gerente', 'MANAGER');
const seller = user('019ac0a1-0000-7000-8000-000000000003', 'Vendedor', 'SELLER');
const resetUrl = 'https://crm.example/reset-password?token=tmr_abc';
/** The API: the team of three, no branches; each reset link asked for is recorded by its path. */
function serveTeam(posts: string[]) {
  server.use(
    listing(`/tenants/${tenantId}/users`, userSchema, [owner, manager, seller]),
    listing(`/tenants/${tenantId}/branches`, branchSchema, []),
    posting(
      `/tenants/${tenantId}/users/:userId/password-reset`,
      passwordResetLinkSchema,
      ({ params }) => {
        posts.push(`/api/v1/tenants/${tenantId}/users/${String(params.userId)}/password-reset`);
        return { resetUrl, expiresAt: '2026-11-27T15:00:00.000Z' };
      },
      201,
    ),
  );
}

describe('TeamPanel reset links', () => {
  it('an owner sends a reset link and gets it to copy or share by WhatsApp', async () => {
    const posts: string[] = [];
    serveTeam(posts);
    await renderWithProviders(<TeamPanel tenantId={tenantId} meId={owner.id} meRole="OWNER" />);
    const buttons = await screen.findAllByRole('button', {
      name: 'Enviar enlace para restablecer contraseña',
    });
    // Everyone but oneself.
    expect(buttons).toHaveLength(2);
    await userEvent.click(buttons[1] as HTMLElement);
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('reset-link')).toHaveTextContent(resetUrl);
    expect(within(dialog).getByRole('link', { name: 'Compartir por WhatsApp' })).toHaveAttribute(
      'href',
      `https://wa.me/?text=${encodeURIComponent(resetUrl)}`,
    );
    expect(posts).toEqual([`/api/v1/tenants/${tenantId}/users/${seller.id}/password-reset`]);
  });

  it('a manager is offered the button for sellers only', async () => {
    serveTeam([]);
    await renderWithProviders(<TeamPanel tenantId={tenantId} meId={manager.id} meRole="MANAGER" />);
    const buttons = await screen.findAllByRole('button', {
      name: 'Enviar enlace para restablecer contraseña',
    });
    expect(buttons).toHaveLength(1);
  });
});
