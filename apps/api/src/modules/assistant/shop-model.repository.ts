import { and, count, desc, eq, gt, lt, max, sql } from 'drizzle-orm';
import { pgInstantToIso } from '../../db/columns';
import { assistantShopExample, assistantShopModel, lead, leadEvent } from '../../db/schema';
import type { Tx } from '../../platform/db';

type NewExample = Omit<typeof assistantShopExample.$inferInsert, 'id' | 'createdAt' | 'updatedAt'> & {
  at: string;
};

/** A labelled message of the shop: what its sellers said, or left as the assistant read it. */
export interface TrainingRow {
  text: string;
  leadType: 'SALE' | 'SERVICE';
  priority: 'HIGH' | 'MEDIUM' | 'LOW';
  at: string;
  corrected: boolean;
}

/** Every function takes the tenant first; RLS is the second wall, these filters are the first. */
export function createShopModelRepository() {
  return {
    /** The customer's first words on the lead: what the assistant read first. */
    async firstMessage(tx: Tx, tenantId: string, leadId: string): Promise<string | null> {
      const [row] = await tx
        .select({ payload: leadEvent.payload })
        .from(leadEvent)
        .where(
          and(
            eq(leadEvent.tenantId, tenantId),
            eq(leadEvent.leadId, leadId),
            eq(leadEvent.type, 'MESSAGE_RECEIVED'),
          ),
        )
        .orderBy(leadEvent.createdAt)
        .limit(1);
      const text = String(row?.payload.text ?? row?.payload.body ?? '').trim();
      return text === '' ? null : text;
    },

    /** The lead's type and priority as they stand (a person's, or the assistant's). */
    async leadLabels(tx: Tx, tenantId: string, leadId: string) {
      const [row] = await tx
        .select({ leadType: lead.leadType, priority: lead.priority })
        .from(lead)
        .where(and(eq(lead.tenantId, tenantId), eq(lead.id, leadId)));
      return row ?? null;
    },

    /** One example per lead, its latest label; a correction stays a correction when feedback follows it. */
    async upsertExample(tx: Tx, example: NewExample) {
      const { at, ...values } = example;
      await tx
        .insert(assistantShopExample)
        .values({ ...values, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: [assistantShopExample.tenantId, assistantShopExample.leadId],
          set: {
            text: values.text,
            leadType: values.leadType,
            priority: values.priority,
            userId: values.userId,
            updatedAt: at,
            source: sql`case when ${assistantShopExample.source} = 'CORRECTION' then 'CORRECTION' else excluded.source end`,
          },
        });
    },

    async countExamples(tx: Tx, tenantId: string, after: string | null) {
      const [row] = await tx
        .select({ n: count() })
        .from(assistantShopExample)
        .where(
          and(
            eq(assistantShopExample.tenantId, tenantId),
            after ? gt(assistantShopExample.updatedAt, after) : undefined,
          ),
        );
      return row?.n ?? 0;
    },

    /**
     * What a layer learns from, oldest first: the sellers' labels, and the leads they worked (moved out of NEW)
     * leaving the assistant's type and priority as they were, which say the reading was right. The newest
     * `limit` of them.
     */
    async trainingRows(tx: Tx, tenantId: string, limit: number): Promise<TrainingRow[]> {
      const result = await tx.execute<{
        text: string;
        lead_type: 'SALE' | 'SERVICE';
        priority: 'HIGH' | 'MEDIUM' | 'LOW';
        at: string;
        corrected: boolean;
      }>(sql`
        select * from (
          select e.text, e.lead_type, e.priority, e.updated_at as at, true as corrected
            from assistant_shop_example e
           where e.tenant_id = ${tenantId}
          union all
          select m.text, l.lead_type::text, l.priority::text, l.status_changed_at as at, false as corrected
            from lead l
            cross join lateral (
              select coalesce(ev.payload->>'text', ev.payload->>'body') as text
                from lead_event ev
               where ev.tenant_id = l.tenant_id and ev.lead_id = l.id and ev.type = 'MESSAGE_RECEIVED'
               order by ev.created_at
               limit 1) m
           where l.tenant_id = ${tenantId} and l.classified_by = 'ASSISTANT' and l.status <> 'NEW'
             and l.lead_type is not null and m.text is not null and m.text <> ''
             and not exists (select 1 from assistant_shop_example x where x.tenant_id = l.tenant_id and x.lead_id = l.id)
          order by at desc
          limit ${limit}
        ) newest
        order by at, text`);
      return result.rows.map((row) => ({
        text: row.text,
        leadType: row.lead_type,
        priority: row.priority,
        at: typeof row.at === 'string' ? pgInstantToIso(row.at) : new Date(row.at).toISOString(),
        corrected: row.corrected,
      }));
    },

    async latestVersion(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({
          version: max(assistantShopModel.version),
          trainedThrough: max(assistantShopModel.trainedThrough),
        })
        .from(assistantShopModel)
        .where(eq(assistantShopModel.tenantId, tenantId));
      return { version: row?.version ?? 0, trainedThrough: row?.trainedThrough ?? null };
    },

    /** The id and version of the active layer, without its weights (cheap: asked on every reading). */
    async activeVersion(tx: Tx, tenantId: string) {
      const [row] = await tx
        .select({ id: assistantShopModel.id, version: assistantShopModel.version })
        .from(assistantShopModel)
        .where(and(eq(assistantShopModel.tenantId, tenantId), eq(assistantShopModel.active, true)));
      return row ?? null;
    },

    async weights(tx: Tx, tenantId: string, id: string) {
      const [row] = await tx
        .select({ weights: assistantShopModel.weights })
        .from(assistantShopModel)
        .where(and(eq(assistantShopModel.tenantId, tenantId), eq(assistantShopModel.id, id)));
      return row?.weights ?? null;
    },

    async insertVersion(tx: Tx, values: typeof assistantShopModel.$inferInsert) {
      if (values.active) await this.deactivate(tx, values.tenantId);
      const [row] = await tx.insert(assistantShopModel).values(values).returning(listColumns);
      if (!row) throw new Error('shop model insert returned nothing');
      return row;
    },

    async deactivate(tx: Tx, tenantId: string) {
      await tx
        .update(assistantShopModel)
        .set({ active: false })
        .where(and(eq(assistantShopModel.tenantId, tenantId), eq(assistantShopModel.active, true)));
    },

    async activate(tx: Tx, tenantId: string, version: number, userId: string, at: string) {
      await this.deactivate(tx, tenantId);
      const [row] = await tx
        .update(assistantShopModel)
        .set({ active: true, activatedAt: at, activatedByUserId: userId })
        .where(and(eq(assistantShopModel.tenantId, tenantId), eq(assistantShopModel.version, version)))
        .returning(listColumns);
      return row ?? null;
    },

    /** Newest first, `limit` from before version `before`. */
    async listVersions(tx: Tx, tenantId: string, limit: number, before: number | null) {
      return tx
        .select(listColumns)
        .from(assistantShopModel)
        .where(
          and(
            eq(assistantShopModel.tenantId, tenantId),
            before !== null ? lt(assistantShopModel.version, before) : undefined,
          ),
        )
        .orderBy(desc(assistantShopModel.version))
        .limit(limit);
    },
  };
}

/** Everything but the weights: a version as the owner reads it. */
const listColumns = {
  version: assistantShopModel.version,
  active: assistantShopModel.active,
  examples: assistantShopModel.examples,
  corrections: assistantShopModel.corrections,
  heldOut: assistantShopModel.heldOut,
  scores: assistantShopModel.scores,
  reason: assistantShopModel.reason,
  activatedAt: assistantShopModel.activatedAt,
  activatedByUserId: assistantShopModel.activatedByUserId,
  trainedThrough: assistantShopModel.trainedThrough,
  createdAt: assistantShopModel.createdAt,
};

export type ShopModelRow = Awaited<
  ReturnType<ReturnType<typeof createShopModelRepository>['listVersions']>
>[number];
