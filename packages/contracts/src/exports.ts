import { z } from 'zod';
import { id, textField } from './common';
import { kpiQuery, taskListQuery } from './followups';
import { leadInboxQuery } from './leads';
import { quotesQuery } from './quotes';
import { ticketsQuery } from './tickets';

/**
 * Exports: a list's rows as a file, `GET /tenants/{tenantId}/exports/{kind}?format=csv|xlsx&<the list's filters>`
 * (or `/exports/{kind}.csv`, `/exports/{kind}.xlsx`). Each kind takes the filters of its own list, without the
 * list's paging: the file holds every row the list would page through.
 */
export const exportKinds = ['leads', 'contacts', 'quotes', 'tickets', 'tasks', 'kpis'] as const;
export type ExportKind = (typeof exportKinds)[number];
export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const exportFormat = z.enum(exportFormats);

/** The customers list's filters (contacts screen). */
export const contactsExportFilter = z.object({
  q: textField().trim().min(1).max(100).optional(),
  branchId: id.optional(),
});

/** Each kind's filters: its list's query without paging and sorting. */
export const exportFilters = {
  leads: leadInboxQuery.omit({ sort: true, limit: true, cursor: true }),
  contacts: contactsExportFilter,
  quotes: quotesQuery.omit({ limit: true, cursor: true }),
  tickets: ticketsQuery.omit({ sort: true, limit: true, cursor: true }),
  tasks: taskListQuery.omit({ limit: true, cursor: true }),
  kpis: kpiQuery,
} as const;

export type ExportFilter<K extends ExportKind> = z.infer<(typeof exportFilters)[K]>;
