import { z } from 'zod';
import { createListingBody } from './catalog';
import { id, isoInstant, textField } from './common';

/** What a file may bring in: the shop's customers, or its catalog. */
export const importKinds = ['contacts', 'listings'] as const;
export const importKind = z.enum(importKinds);
export type ImportKind = z.infer<typeof importKind>;

/** The columns each kind understands, in the order the mapping screen shows them. */
export const importFields = {
  contacts: ['name', 'phone', 'email', 'tags', 'consent', 'consentAt', 'consentSource'],
  listings: ['title', 'category', 'price', 'currency', 'stock', 'sku'],
} as const satisfies Record<ImportKind, readonly string[]>;
export type ImportField = (typeof importFields)[ImportKind][number];

/**
 * The columns a row cannot do without. A customer is recognised by phone and a listing by SKU, so re-importing
 * a file updates what the first import created instead of duplicating it.
 */
export const requiredImportFields = {
  contacts: ['phone'],
  listings: ['title', 'category', 'price', 'sku'],
} as const satisfies Record<ImportKind, readonly string[]>;

export const importStatuses = ['PREVIEW', 'QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
export const importStatus = z.enum(importStatuses);

/** Field of the import -> header of the file's column it is read from. */
export const importMapping = z.record(z.string(), textField().max(200));
export type ImportMapping = z.infer<typeof importMapping>;

export const importRejectionSchema = z.object({
  /** The row of the file as a spreadsheet numbers it: the headers are row 1. */
  row: z.number().int(),
  field: z.string(),
  message: z.string(),
});

export const importSchema = z
  .object({
    id,
    tenantId: id,
    kind: importKind,
    status: importStatus,
    fileName: z.string(),
    format: z.enum(['csv', 'xlsx']),
    /** How a CSV's bytes were read (utf-8, windows-1252…); null for .xlsx. */
    encoding: z.string().nullable(),
    /** The file's headers and first rows, for the mapping screen. */
    headers: z.array(z.string()),
    preview: z.array(z.array(z.string())),
    /** The mapping in use once started; before that, the one suggested (remembered, else read from headers). */
    mapping: importMapping,
    /**
     * Data rows in the file: for a CSV, estimated from the bytes read while the job runs (null before its first batch)
     * and exact once DONE; for an .xlsx, counted before the first batch.
     */
    total: z.number().int().nullable(),
    processed: z.number().int(),
    imported: z.number().int(),
    updated: z.number().int(),
    rejected: z.number().int(),
    /** The first rejections (the whole list: `GET /imports/{id}/rejections.csv`). */
    errors: z.array(importRejectionSchema),
    createdAt: isoInstant,
    startedAt: isoInstant.nullable(),
    finishedAt: isoInstant.nullable(),
  })
  .meta({ id: 'Import' });
export type Import = z.infer<typeof importSchema>;

export const startImportBody = z.object({ mapping: importMapping });

/** `PUT /tenants/{tenantId}/listings/by-sku/{sku}`: the listing as the marketplace has it, created or updated. */
export const upsertListingBody = createListingBody.omit({ sku: true }).extend({
  active: z.boolean().optional(),
});
export const skuParam = textField().trim().min(1).max(64);
