import { currencies, currencyDigits, type ExportFilter } from '@techmarket/contracts';
import {
  and,
  eq,
  exists,
  ilike,
  inArray,
  like,
  notInArray,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import {
  appUser,
  branch,
  campaign,
  contact,
  lead,
  listing,
  quote,
  task,
  tenant,
  ticket,
} from '../../db/schema';
import type { Tx } from '../../platform/db';
import { type BranchScope, inboxConditions } from '../leads';
import type { Column } from './table-writer';

/**
 * The exports' queries. Each is one statement read through a server-side cursor (Database.streamWithTenant), its
 * columns in the order of the kind's table (exports.tables.ts), times already turned to the shop's wall clock by
 * PostgreSQL (cheaper there than a Date per cell here). Every query is filtered by tenant first; RLS is the second
 * wall. The names other tables are joined under never collide with `lead` and `contact`, which the inbox's own
 * condition (leads' inboxConditions) names.
 */

/** A timestamptz as `YYYY-MM-DD HH:MM` in the shop's time zone. */
const local = (column: SQLWrapper, timeZone: string) =>
  sql`to_char(${column} at time zone ${timeZone}, 'YYYY-MM-DD HH24:MI')`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Names, e-mail and, for what looks like a phone, its digits: the contacts list's `q`. */
function contactMatches(q: string): SQL | undefined {
  const pattern = `%${escapeLike(q)}%`;
  const digits = q.replace(/\D/g, '');
  const looksLikePhone = digits.length >= 3 && /^[\d\s+().-]+$/.test(q);
  return or(
    ilike(contact.name, pattern),
    ilike(contact.email, pattern),
    looksLikePhone ? like(contact.phone, `%${digits}%`) : undefined,
  );
}

const scoped = (
  column: typeof quote.branchId | typeof ticket.branchId | typeof task.branchId,
  scope: BranchScope,
) => (scope === null ? undefined : inArray(column, [...scope]));

const branchName = (tenantId: SQLWrapper, branchId: SQLWrapper) =>
  sql`(select b.name from ${branch} b where b.tenant_id = ${tenantId} and b.id = ${branchId})`;
const userName = (tenantId: SQLWrapper, userId: SQLWrapper) =>
  sql`(select u.name from ${appUser} u where u.tenant_id = ${tenantId} and u.id = ${userId})`;

/**
 * A text cell as data (OWASP's CSV injection advice): one starting with what a spreadsheet reads as a formula
 * (=, +, -, @, tab, CR) gets a leading apostrophe. The SQL twin of table-writer's `neutralise`, for the CSV that
 * PostgreSQL writes.
 */
const neutralised = (cell: SQL) =>
  sql`case when left(${cell}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || ${cell} else ${cell} end`;

/**
 * Minor units as the plain amount moneyInputText writes ("2499.00"; "1500000" for CLP): each currency's own
 * decimals (Intl's, as the contracts know them), two for one the app does not know.
 */
function major(minor: SQL, currency: SQL): SQL {
  const digits = sql.join(
    currencies.map((code) => sql.raw(`when '${code}' then ${currencyDigits(code)}`)),
    sql` `,
  );
  const decimals = sql`(case ${currency} ${digits} else 2 end)`;
  return sql`case when ${currency} is not null then round(${minor}::numeric / power(10::numeric, ${decimals}), ${decimals}) end`;
}

/**
 * A kind's statement as its CSV, for PostgreSQL to write (`COPY … (FORMAT csv, HEADER)`): each column under its
 * Spanish header, text neutralised, money in major units; times and numbers as the statement has them. The
 * statement's own order stands: the outer select only projects its rows.
 */
export function csvStatement(query: SQL, columns: readonly Column[]): SQL {
  const cell = (i: number) => sql.raw(`c${i + 1}`);
  const projection = columns.map((column, i) => {
    const value =
      column.type === 'text'
        ? neutralised(sql`${cell(i)}::text`)
        : column.type === 'money'
          ? major(cell(i), cell(column.currencyColumn))
          : cell(i);
    return sql`${value} as ${sql.identifier(column.header)}`;
  });
  const names = sql.raw(columns.map((_, i) => `c${i + 1}`).join(', '));
  return sql`select ${sql.join(projection, sql`, `)} from (${query}) as export_rows(${names})`;
}

export type TaskWindow = { dueBefore?: string; dueFrom?: string; status?: 'OPEN' };

export function createExportsRepository() {
  return {
    /** The shop's name and time zone: file names and every time in the file. */
    async shop(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ name: tenant.name, timezone: tenant.timezone })
        .from(tenant)
        .where(eq(tenant.id, tenantId));
      return row;
    },

    leads(tenantId: string, scope: BranchScope, filter: ExportFilter<'leads'>, tz: string): SQL {
      const where = inboxConditions(tenantId, { ...filter, branchIds: scope });
      return sql`
        select ${lead.refCode}, ${local(lead.createdAt, tz)}, ${lead.status}, ${lead.source}, ${lead.priority},
               ${lead.leadType}, ${branchName(lead.tenantId, lead.branchId)}, ${userName(lead.tenantId, lead.assignedToUserId)},
               ${contact.name}, ${contact.phone}, ${contact.email},
               li.title, li.price, li.currency,
               (select cp.name from ${campaign} cp where cp.tenant_id = ${lead.tenantId} and cp.id = ${lead.campaignId}),
               ${lead.lostReason}, ${local(lead.firstResponseAt, tz)}, ${local(lead.statusChangedAt, tz)},
               ${local(lead.lastActivityAt, tz)}
          from ${lead}
          join ${contact} on ${contact.tenantId} = ${lead.tenantId} and ${contact.id} = ${lead.contactId}
          left join ${listing} li on li.tenant_id = ${lead.tenantId} and li.id = ${lead.listingId}
         where ${where}
         order by ${lead.createdAt} desc, ${lead.id} desc`;
    },

    contacts(tenantId: string, scope: BranchScope, filter: ExportFilter<'contacts'>, tz: string): SQL {
      const leadAt = (branchIds: readonly string[]) =>
        exists(
          sql`select 1 from ${lead} where ${lead.tenantId} = ${contact.tenantId} and ${lead.contactId} = ${contact.id}
                and ${inArray(lead.branchId, [...branchIds])}`,
        );
      const where = and(
        eq(contact.tenantId, tenantId),
        sql`${contact.erasedAt} is null`,
        scope === null ? undefined : leadAt(scope),
        filter.branchId ? leadAt([filter.branchId]) : undefined,
        filter.q ? contactMatches(filter.q) : undefined,
      );
      return sql`
        select ${contact.name}, ${contact.phone}, ${contact.email},
               case when ${contact.marketingConsent} then 'Sí' else 'No' end,
               ${local(contact.consentAt, tz)}, ${contact.consentSource}, ${local(contact.optedOutAt, tz)},
               (select count(*)::int from ${lead} where ${lead.tenantId} = ${contact.tenantId} and ${lead.contactId} = ${contact.id}),
               ${local(contact.createdAt, tz)}
          from ${contact}
         where ${where}
         order by ${contact.createdAt} desc, ${contact.id} desc`;
    },

    quotes(tenantId: string, scope: BranchScope, filter: ExportFilter<'quotes'>, tz: string): SQL {
      const where = and(
        eq(quote.tenantId, tenantId),
        scoped(quote.branchId, scope),
        filter.branchId ? eq(quote.branchId, filter.branchId) : undefined,
        filter.status ? eq(quote.status, filter.status) : undefined,
        filter.leadId ? eq(quote.leadId, filter.leadId) : undefined,
      );
      return sql`
        select ${quote.number}, ${local(quote.createdAt, tz)}, ${quote.status},
               ${branchName(quote.tenantId, quote.branchId)}, c.name, c.phone,
               (select l.ref_code from ${lead} l where l.tenant_id = ${quote.tenantId} and l.id = ${quote.leadId}),
               ${quote.currency}, ${quote.subtotal}, ${quote.discount}, ${quote.tax}, ${quote.total},
               ${local(quote.validUntil, tz)}, ${local(quote.sentAt, tz)}, ${local(quote.decidedAt, tz)},
               ${quote.rejectionReason}
          from ${quote}
          left join ${contact} c on c.tenant_id = ${quote.tenantId} and c.id = ${quote.contactId}
         where ${where}
         order by ${quote.createdAt} desc, ${quote.id} desc`;
    },

    tickets(tenantId: string, scope: BranchScope, filter: ExportFilter<'tickets'>, tz: string): SQL {
      const closed = ['RESOLVED', 'CLOSED'] as const;
      const where = and(
        eq(ticket.tenantId, tenantId),
        scoped(ticket.branchId, scope),
        filter.branchId ? eq(ticket.branchId, filter.branchId) : undefined,
        filter.status ? eq(ticket.status, filter.status) : undefined,
        filter.open === true ? notInArray(ticket.status, [...closed]) : undefined,
        filter.open === false ? inArray(ticket.status, [...closed]) : undefined,
        filter.priority ? eq(ticket.priority, filter.priority) : undefined,
        filter.leadId ? eq(ticket.leadId, filter.leadId) : undefined,
      );
      return sql`
        select ${ticket.subject}, ${ticket.status}, ${ticket.priority}, ${local(ticket.createdAt, tz)},
               ${local(ticket.slaDueAt, tz)}, ${local(ticket.resolvedAt, tz)}, ${local(ticket.closedAt, tz)},
               ${branchName(ticket.tenantId, ticket.branchId)}, ${userName(ticket.tenantId, ticket.assignedToUserId)},
               c.name, c.phone,
               (select l.ref_code from ${lead} l where l.tenant_id = ${ticket.tenantId} and l.id = ${ticket.leadId})
          from ${ticket}
          left join ${contact} c on c.tenant_id = ${ticket.tenantId} and c.id = ${ticket.contactId}
         where ${where}
         order by ${ticket.createdAt} desc, ${ticket.id} desc`;
    },

    tasks(
      tenantId: string,
      scope: BranchScope,
      filter: Omit<ExportFilter<'tasks'>, 'assignee' | 'due'> & { assigneeUserId?: string | undefined },
      window: TaskWindow,
      tz: string,
    ): SQL {
      const where = and(
        eq(task.tenantId, tenantId),
        scoped(task.branchId, scope),
        filter.branchId ? eq(task.branchId, filter.branchId) : undefined,
        filter.status ? eq(task.status, filter.status) : undefined,
        window.status ? eq(task.status, window.status) : undefined,
        filter.leadId ? eq(task.leadId, filter.leadId) : undefined,
        filter.assigneeUserId ? eq(task.assigneeUserId, filter.assigneeUserId) : undefined,
        window.dueBefore ? sql`${task.dueAt} < ${window.dueBefore}::timestamptz` : undefined,
        window.dueFrom ? sql`${task.dueAt} >= ${window.dueFrom}::timestamptz` : undefined,
      );
      return sql`
        select ${task.title}, ${task.kind}, ${task.status}, ${local(task.dueAt, tz)}, ${local(task.completedAt, tz)},
               ${userName(task.tenantId, task.assigneeUserId)}, ${branchName(task.tenantId, task.branchId)},
               l.ref_code, c.name, c.phone
          from ${task}
          left join ${lead} l on l.tenant_id = ${task.tenantId} and l.id = ${task.leadId}
          left join ${contact} c on c.tenant_id = l.tenant_id and c.id = l.contact_id
         where ${where}
         order by ${task.dueAt} asc, ${task.id} asc`;
    },
  };
}

export type ExportsRepository = ReturnType<typeof createExportsRepository>;
