import { queryOptions } from '@tanstack/react-query';
import type {
  ApiKeyScope,
  apiKeySchema,
  Branch,
  BusinessHours,
  createdApiKeySchema,
  createdUserSchema,
  Listing,
  passwordResetLinkSchema,
  trackedLinkSchema,
  User,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { apiRequest } from '../../../lib/api-client';

export type ApiKey = z.infer<typeof apiKeySchema>;
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
export type CreatedUser = z.infer<typeof createdUserSchema>;

export const apiKeysQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'api-keys'],
    queryFn: () => apiRequest<{ items: ApiKey[] }>(`/tenants/${tenantId}/api-keys`).then((r) => r.items),
  });

export const createBranch = (
  tenantId: string,
  body: { name: string; whatsappPhone: string; timezone: string; zone?: string },
) => apiRequest<Branch>(`/tenants/${tenantId}/branches`, { method: 'POST', body });

export const updateBranch = (
  tenantId: string,
  branchId: string,
  body: { active?: boolean; businessHours?: BusinessHours; version: number },
) => apiRequest<Branch>(`/tenants/${tenantId}/branches/${branchId}`, { method: 'PATCH', body });

export const inviteUser = (
  tenantId: string,
  body: { name: string; email: string; role: User['role']; branchIds: string[] },
) => apiRequest<CreatedUser>(`/tenants/${tenantId}/users`, { method: 'POST', body });

export const updateUser = (
  tenantId: string,
  userId: string,
  body: { active?: boolean; role?: User['role']; branchIds?: string[]; version: number },
) => apiRequest<User>(`/tenants/${tenantId}/users/${userId}`, { method: 'PATCH', body });

export const createListing = (
  tenantId: string,
  body: {
    title: string;
    category: string;
    price: number;
    currency: string;
    stock: number;
    branchId?: string;
  },
) => apiRequest<Listing>(`/tenants/${tenantId}/listings`, { method: 'POST', body });

export const updateListing = (
  tenantId: string,
  listingId: string,
  body: { active: boolean; version: number },
) => apiRequest<Listing>(`/tenants/${tenantId}/listings/${listingId}`, { method: 'PATCH', body });

export const createApiKey = (
  tenantId: string,
  body: { name: string; scopes: ApiKeyScope[]; expiresAt?: string | undefined },
) => apiRequest<CreatedApiKey>(`/tenants/${tenantId}/api-keys`, { method: 'POST', body });

export type PasswordResetLink = z.infer<typeof passwordResetLinkSchema>;

/** A one-time link for a person of the shop to set a new password (OWNER; MANAGER for sellers). */
export const issuePasswordReset = (tenantId: string, userId: string) =>
  apiRequest<PasswordResetLink>(`/tenants/${tenantId}/users/${userId}/password-reset`, { method: 'POST' });

export const revokeApiKey = (tenantId: string, keyId: string) =>
  apiRequest<ApiKey>(`/tenants/${tenantId}/api-keys/${keyId}`, { method: 'DELETE' });

export type TrackedLink = z.infer<typeof trackedLinkSchema>;

export const linksQueryOptions = (tenantId: string) =>
  queryOptions({
    queryKey: ['tenant', tenantId, 'links'],
    queryFn: () => apiRequest<{ items: TrackedLink[] }>(`/tenants/${tenantId}/links`).then((r) => r.items),
  });

export const createLink = (
  tenantId: string,
  body: { branchId: string; listingId?: string; label?: string },
) => apiRequest<TrackedLink>(`/tenants/${tenantId}/links`, { method: 'POST', body });

export const updateLink = (tenantId: string, linkId: string, body: { active: boolean }) =>
  apiRequest<TrackedLink>(`/tenants/${tenantId}/links/${linkId}`, { method: 'PATCH', body });
