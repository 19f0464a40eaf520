import type { Branch, User } from '@techmarket/contracts';
import type { apiKey } from '../../db/schema';
import type { BranchRow, TenantRow, UserWithBranches } from './identity.repository';

export const toUser = (row: UserWithBranches): User => ({
  id: row.id,
  tenantId: row.tenantId,
  email: row.email,
  name: row.name,
  role: row.role,
  branchIds: row.branchIds,
  active: row.active,
  available: row.available,
  invitationPending: row.passwordHash === null,
  lastLoginAt: row.lastLoginAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
});

export const toBranch = (row: BranchRow): Branch => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  whatsappPhone: row.whatsappPhone,
  countryCode: row.countryCode,
  zone: row.zone,
  timezone: row.timezone,
  businessHours: row.businessHours,
  active: row.active,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
});

export const toTenant = (row: TenantRow) => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  defaultCurrency: row.defaultCurrency,
  timezone: row.timezone,
});

export const toApiKey = (row: typeof apiKey.$inferSelect) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  expiresAt: row.expiresAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
  createdAt: row.createdAt,
});
