import { createHash, timingSafeEqual } from 'node:crypto';
import type { BranchReputationFeed } from '@techmarket/contracts';
import { z } from 'zod';
import type { Clock } from '../../platform/clock';
import { cursorCodec, paginate } from '../../platform/cursor';
import type { Database } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { AnalyticsService } from './analytics.service';
import { createReputationFeedRepository } from './reputation-feed.repository';

/**
 * The marketplace's read of every branch's response reputation (chapter 11.8.3: response time feeds the seller's
 * score and ranking). Not a shop's data read by the shop: one platform-wide feed, called with the platform key
 * (PLATFORM_API_KEY), from rows each shop's hourly refresh stores, so a page costs one index range whatever the
 * number of shops.
 */

export interface ReputationFeedDeps {
  database: Pick<Database, 'withTenant' | 'withoutTenant'>;
  clock: Clock;
  analytics: Pick<AnalyticsService, 'reputationOf'>;
  platformApiKey: string;
}

const feedCursor = cursorCodec(z.object({ tenantId: z.uuid(), branchId: z.uuid() }));
const digest = (text: string) => createHash('sha256').update(text).digest();

/** Postgres hands back instants as text in its own format; the wire speaks ISO 8601. */
const iso = (value: string) => new Date(value).toISOString();

export function createReputationFeedService({
  database,
  clock,
  analytics,
  platformApiKey,
}: ReputationFeedDeps) {
  const repo = createReputationFeedRepository();
  const expected = digest(platformApiKey);

  return {
    /** The platform key, compared in constant time; anything else (a shop's key, a session) is a 401. */
    assertPlatformKey(secret: string | null) {
      if (secret === null || !timingSafeEqual(digest(secret), expected))
        throw new AppError('UNAUTHENTICATED', 'This feed needs the platform key');
    },

    /** Stores a shop's reputation as computed now: idempotent, a rerun overwrites the same rows. */
    async refresh(tenantId: string): Promise<number> {
      const reputation = await analytics.reputationOf(tenantId);
      const computedAt = clock.now().toISOString();
      await database.withTenant(tenantId, (tx) =>
        repo.upsert(
          tx,
          reputation.branches.map((b) => ({
            tenantId,
            branchId: b.branchId,
            score: b.score,
            leads: b.inputs.leads,
            answered: b.inputs.answered,
            answeredOnTime: b.inputs.answeredOnTime,
            onTimeRate: b.inputs.onTimeRate,
            medianMinutes: b.inputs.medianMinutes,
            p90Minutes: b.inputs.p90Minutes,
            targetMinutes: b.inputs.targetMinutes,
            businessHoursOnly: b.inputs.businessHoursOnly,
            periodFrom: reputation.from,
            periodTo: reputation.to,
            computedAt,
          })),
        ),
      );
      return reputation.branches.length;
    },

    async page(query: { limit: number; cursor?: string | undefined }): Promise<BranchReputationFeed> {
      const after = query.cursor ? feedCursor.decode(query.cursor) : null;
      const rows = await database.withoutTenant((tx) => repo.page(tx, after, query.limit));
      const { rows: page, nextCursor } = paginate(rows, query.limit, feedCursor, (r) => ({
        tenantId: r.tenant_id,
        branchId: r.branch_id,
      }));
      return {
        items: page.map((r) => ({
          tenantId: r.tenant_id,
          branchId: r.branch_id,
          score: r.score,
          leads: r.leads,
          answered: r.answered,
          answeredOnTime: r.answered_on_time,
          onTimeRate: r.on_time_rate,
          medianMinutes: r.median_minutes,
          p90Minutes: r.p90_minutes,
          targetMinutes: r.target_minutes,
          businessHoursOnly: r.business_hours_only,
          periodFrom: iso(r.period_from),
          periodTo: iso(r.period_to),
          computedAt: iso(r.computed_at),
        })),
        nextCursor,
      };
    },
  };
}

export type ReputationFeedService = ReturnType<typeof createReputationFeedService>;
