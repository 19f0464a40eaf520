import {
  branchSchema,
  createBranchBody,
  createdUserSchema,
  createLinkBody,
  createUserBody,
  listingSchema,
  trackedLinkSchema,
  userSchema,
} from '@techmarket/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { listing, sending } from '../../../test/mocks/api';
import { aBranch } from '../../../test/mocks/fixtures';
import { server } from '../../../test/mocks/server';
import { renderWithProviders } from '../../../test/render';
import { BranchesPanel } from './branches-panel';
import { LinksPanel } from './links-panel';
import { TeamPanel } from './team-panel';

const tenantId = '019ac0a1-0000-7000-8000-00000000cafe';
const at = '2026-12-07T12:00:00.000Z';
const branch = aBranch({ id: '019ac0a1-0000-7000-8000-0000000000b1', tenantId });
const tenantPath = (what: string) => `/tenants/${tenantId}/${what}`;
const aLink = {
  id: '019ac0a1-0000-7000-8000-0000000000d1',
  tenantId,
  code: 'abc123',
  url: 'http://localhost/w/abc123',
  branchId: branch.id,
  listingId: null,
  campaignId: null,
  source: 'WHATSAPP' as const,
  label: null,
  clicks: 0,
  botClicks: 0,
  active: true,
  createdAt: at,
};

describe('settings forms on the contracts', () => {
  it('a branch: its time zone chosen from a search, an empty area is not sent', async () => {
    const sent: unknown[] = [];
    server.use(
      listing(tenantPath('branches'), branchSchema, []),
      sending(
        'post',
        tenantPath('branches'),
        { body: createBranchBody, schema: branchSchema },
        (body, request) => {
          sent.push(request.sent);
          return { ...branch, ...body, zone: body.zone ?? null };
        },
      ),
    );
    await renderWithProviders(<BranchesPanel tenantId={tenantId} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Nueva sucursal' }));
    await userEvent.type(screen.getByLabelText(/Nombre/), 'Surco');
    await userEvent.type(screen.getByLabelText(/WhatsApp/), '+51 987 654 321');
    const zone = screen.getByRole('combobox', { name: /Zona horaria/ });
    expect(zone).toHaveValue('Lima (GMT-5) · America/Lima');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'bogo');
    await userEvent.click(await screen.findByRole('option', { name: 'Bogota (GMT-5) · America/Bogota' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ name: 'Surco', whatsappPhone: '+51 987 654 321', timezone: 'America/Bogota' });
  });

  it('an invitation: a name and a valid e-mail first', async () => {
    const sent: unknown[] = [];
    server.use(
      listing(tenantPath('users'), userSchema, []),
      listing(tenantPath('branches'), branchSchema, [branch]),
      sending(
        'post',
        tenantPath('users'),
        { body: createUserBody, schema: createdUserSchema },
        (body, request) => {
          sent.push(request.sent);
          const user = {
            ...body,
            id: '019ac0a1-0000-7000-8000-0000000000c1',
            tenantId,
            active: true,
            available: true,
            invitationPending: true,
            lastLoginAt: null,
            createdAt: at,
            updatedAt: at,
            version: 1,
          };
          return { user, invitationUrl: 'http://localhost/invitation#token' };
        },
      ),
    );
    await renderWithProviders(<TeamPanel tenantId={tenantId} meId={branch.id} meRole="OWNER" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Invitar' }));
    await userEvent.type(screen.getByLabelText(/Correo/), 'ana@');
    await userEvent.click(screen.getAllByRole('button', { name: 'Invitar' }).at(-1) as HTMLElement);
    expect(await screen.findByText('Completa este campo')).toBeInTheDocument();
    expect(screen.getByText('Escribe un correo válido')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    await userEvent.type(screen.getByLabelText(/Nombre/), 'Ana');
    await userEvent.type(screen.getByLabelText(/Correo/), 'tienda.pe');
    await userEvent.click(screen.getAllByRole('button', { name: 'Invitar' }).at(-1) as HTMLElement);
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ name: 'Ana', email: 'ana@tienda.pe', role: 'SELLER', branchIds: [] });
    expect(await screen.findByText('http://localhost/invitation#token')).toBeInTheDocument();
  });

  it('a link: its branch is chosen, never guessed; an empty product and label are not sent', async () => {
    const sent: unknown[] = [];
    const other = aBranch({ id: '019ac0a1-0000-7000-8000-0000000000b2', tenantId, name: 'Surco' });
    server.use(
      listing(tenantPath('links'), trackedLinkSchema, []),
      listing(tenantPath('branches'), branchSchema, [branch, other]),
      listing(tenantPath('listings'), listingSchema, []),
      sending(
        'post',
        tenantPath('links'),
        { body: createLinkBody, schema: trackedLinkSchema },
        (body, request) => {
          sent.push(request.sent);
          return { ...aLink, ...body };
        },
      ),
    );
    await renderWithProviders(<LinksPanel tenantId={tenantId} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Nuevo enlace' }));
    const branchSelect = screen.getByRole('combobox', { name: /Sucursal/ });
    expect(branchSelect).toHaveValue('');
    expect(branchSelect).toBeRequired();
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(await screen.findByText('Elige la sucursal: el enlace abre su WhatsApp')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    await userEvent.click(branchSelect);
    await userEvent.click(await screen.findByRole('option', { name: 'Surco' }));
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ branchId: other.id });
  });

  it('a link is copied, and shared through the phone’s share sheet where there is one', async () => {
    const user = userEvent.setup();
    server.use(
      listing(tenantPath('links'), trackedLinkSchema, [{ ...aLink, label: 'Mostrador' }]),
      listing(tenantPath('branches'), branchSchema, [branch]),
      listing(tenantPath('listings'), listingSchema, []),
    );
    await renderWithProviders(<LinksPanel tenantId={tenantId} />);
    const copy = await screen.findByRole('button', { name: 'Copiar el enlace Mostrador' });
    await user.click(copy);
    expect(await navigator.clipboard.readText()).toBe(aLink.url);
    expect(copy).toHaveTextContent('Copiado');

    // Without a share sheet (a desktop browser), sharing copies.
    await navigator.clipboard.writeText('');
    expect('share' in navigator).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Compartir el enlace Mostrador' }));
    expect(await navigator.clipboard.readText()).toBe(aLink.url);

    // jsdom has no share sheet; the phone's is stood in for by one that records what it was given.
    const shared: ShareData[] = [];
    Object.defineProperty(navigator, 'share', {
      configurable: true,
      value: (data: ShareData) => {
        shared.push(data);
        return Promise.resolve();
      },
    });
    try {
      await user.click(screen.getByRole('button', { name: 'Compartir el enlace Mostrador' }));
      expect(shared).toEqual([{ title: 'Mostrador', url: aLink.url }]);
    } finally {
      Reflect.deleteProperty(navigator, 'share');
    }
  });
});
