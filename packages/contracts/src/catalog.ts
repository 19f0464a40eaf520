import { z } from 'zod';
import { currency, id, isoInstant, minorUnits, textField } from './common';

export const listingCategories = [
  'LAPTOPS',
  'PHONES',
  'GAMING',
  'NETWORKING',
  'COMPONENTS',
  'ACCESSORIES',
  'PRINTERS',
  'SERVICES',
  'OTHER',
] as const;
export const listingCategory = z.enum(listingCategories);

export const listingSchema = z
  .object({
    id,
    tenantId: id,
    branchId: id.nullable(),
    title: z.string(),
    category: z.string(),
    price: z.number().int(),
    currency: z.string(),
    stock: z.number().int(),
    sku: z.string().nullable(),
    active: z.boolean(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'Listing' });
export type Listing = z.infer<typeof listingSchema>;

export const createListingBody = z.object({
  branchId: id.nullable().optional(),
  title: textField().trim().min(1).max(200),
  category: listingCategory,
  price: minorUnits,
  currency,
  stock: z.number().int().min(0).max(1_000_000),
  sku: textField().trim().min(1).max(64).optional(),
});
export const updateListingBody = createListingBody.partial().extend({
  active: z.boolean().optional(),
  version: z.number().int().min(1).optional(),
});
export const listingsQuery = z.object({
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  category: listingCategory.optional(),
  branchId: id.optional(),
  q: textField().trim().min(1).max(100).optional(),
  /** These listings only (`id=a&id=b`, up to 200): the titles of a page of leads, say. */
  id: z
    .union([id, z.array(id).max(200)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: textField().min(1).max(500).optional(),
});
