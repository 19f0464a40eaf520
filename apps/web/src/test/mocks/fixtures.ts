import type { Branch, Quote, Ticket, tenantSchema, User } from '@techmarket/contracts';
import type { z } from 'zod';

type Tenant = z.infer<typeof tenantSchema>;

/**
 * Rows as the API returns them, for the handlers of the component tests: complete (the handlers check them
 * against the contracts), each test overriding only what it is about.
 */
export const fixtureTenantId = '0190f0f0-0000-7000-8000-000000000002';
const at = '2026-11-26T12:00:00.000Z';

export const aTenant = (overrides: Partial<Tenant> = {}): Tenant => ({
  id: fixtureTenantId,
  name: 'TechMarket Perú',
  slug: 'techmarket-peru',
  defaultCurrency: 'PEN',
  timezone: 'America/Lima',
  ...overrides,
});

export const aUser = (overrides: Partial<User> = {}): User => ({
  id: '0190f0f0-0000-7000-8000-0000000000a1',
  tenantId: fixtureTenantId,
  email: 'owner@techperu.pe',
  name: 'Ana Dueña',
  role: 'OWNER',
  branchIds: [],
  active: true,
  available: true,
  invitationPending: false,
  lastLoginAt: null,
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...overrides,
});

export const aBranch = (overrides: Partial<Branch> = {}): Branch => ({
  id: '0190f0f0-0000-7000-8000-0000000000b1',
  tenantId: fixtureTenantId,
  name: 'Miraflores',
  whatsappPhone: '+51987654321',
  countryCode: 'PE',
  zone: null,
  timezone: 'America/Lima',
  businessHours: {},
  active: true,
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...overrides,
});

export const aTicket = (overrides: Partial<Ticket> = {}): Ticket => ({
  id: '0190f0f0-0000-7000-8000-0000000000c1',
  tenantId: fixtureTenantId,
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  leadId: '0190f0f0-0000-7000-8000-000000000001',
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Huamán', phone: '+51987654321' },
  subject: 'No enciende',
  description: 'Se apagó y no prende.',
  device: { type: 'Laptop', brand: 'Lenovo', serial: 'PF12345' },
  status: 'OPEN',
  priority: 'HIGH',
  slaHours: 4,
  slaDueAt: '2026-11-26T20:00:00.000Z',
  slaBreached: true,
  assignedToUserId: null,
  createdByUserId: null,
  resolvedAt: null,
  closedAt: null,
  createdAt: '2026-11-26T15:00:00.000Z',
  updatedAt: '2026-11-26T15:00:00.000Z',
  version: 2,
  ...overrides,
});

export const aQuote = (overrides: Partial<Quote> = {}): Quote => ({
  id: '0190f0f0-0000-7000-8000-0000000000e1',
  tenantId: fixtureTenantId,
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  leadId: '0190f0f0-0000-7000-8000-000000000001',
  ticketId: null,
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Huamán', phone: '+51987654321' },
  number: 42,
  status: 'DRAFT',
  currency: 'PEN',
  taxName: 'IGV',
  taxRateBps: 1800,
  pricesIncludeTax: true,
  subtotal: 160932,
  discount: 0,
  tax: 28968,
  total: 189900,
  validUntil: '2026-12-03T04:59:59.000Z',
  notes: null,
  createdByUserId: null,
  sentAt: null,
  decidedAt: null,
  rejectionReason: null,
  linksRevokedAt: null,
  items: [
    {
      id: '0190f0f0-0000-7000-8000-0000000000e2',
      position: 1,
      listingId: '0190f0f0-0000-7000-8000-0000000000f1',
      title: 'Laptop Lenovo IdeaPad',
      sku: null,
      quantity: 1,
      unitPrice: 189900,
      discount: 0,
      subtotal: 160932,
      tax: 28968,
      total: 189900,
      stockAtQuote: 12,
    },
  ],
  warnings: [],
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...overrides,
});
