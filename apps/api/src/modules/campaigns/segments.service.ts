import type { Segment, SegmentPreview } from '@techmarket/contracts';
import type { Principal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { invalidField, notFound } from '../../platform/errors';
import { type LaggingReads, primaryReads } from '../../platform/read-replica';
import { requireWholeShop } from './campaign-view';
import { createCampaignsRepository } from './campaigns.repository';
import { segmentCondition } from './segments';

/** Segments checked against the shop and previewed (the rule language itself is in `segments.ts`). */

const SAMPLE_SIZE = 10;

export function createSegmentsService(deps: {
  database: Pick<Database, 'withTenant'>;
  /** Where previews are read: the read replica when one is configured (a count may lag a moment). */
  reads?: LaggingReads<Pick<Database, 'withTenant'>>;
  clock: Clock;
}) {
  const { database, reads = primaryReads(database), clock } = deps;
  const repo = createCampaignsRepository();

  /** Branches and listings a segment names must be the shop's own: 422 naming the rule's field otherwise. */
  async function check(tx: Tx, tenantId: string, segment: Segment | undefined, field = 'segment') {
    if (!segment) return;
    for (const [i, rule] of segment.rules.entries()) {
      if (rule.rule === 'BRANCH') {
        if ((await repo.countBranches(tx, tenantId, rule.branchIds)) !== new Set(rule.branchIds).size)
          throw invalidField(
            `${field}.rules.${i}.branchIds`,
            'every branch must be one of this shop',
            'NOT_FOUND_IN_SHOP',
          );
      }
      if (rule.rule === 'VIEWED' && rule.listingId) {
        if (!(await repo.hasListing(tx, tenantId, rule.listingId)))
          throw invalidField(
            `${field}.rules.${i}.listingId`,
            'no listing of this shop has this id',
            'NOT_FOUND_IN_SHOP',
          );
      }
    }
  }

  return {
    check,

    /** How many of the shop's contacts a segment holds, and the newest few. */
    async preview(viewer: Principal, tenantId: string, segment: Segment): Promise<SegmentPreview> {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      requireWholeShop(viewer);
      return (await reads.forReader(viewer)).withTenant(tenantId, async (tx) => {
        await check(tx, tenantId, segment);
        const rows = await repo.segmentMembers(
          tx,
          segmentCondition(tenantId, segment, clock.now()),
          SAMPLE_SIZE,
        );
        return {
          count: rows[0]?.total ?? 0,
          sample: rows.map((r) => ({
            contactId: r.id,
            name: r.name,
            phone: r.phone,
            marketingConsent: r.marketing_consent,
            optedOut: r.opted_out_at !== null,
          })),
        };
      });
    },
  };
}

export type SegmentsService = ReturnType<typeof createSegmentsService>;
