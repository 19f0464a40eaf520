import type { Campaign, MetricTotals, Segment } from '@techmarket/contracts';
import { segmentSchema } from '@techmarket/contracts';
import type { Principal } from '../../platform/auth';
import { branchScope } from '../../platform/auth';
import type { Tx } from '../../platform/db';
import { forbidden, notFound } from '../../platform/errors';
import { isLive } from './attribution';
import { type CampaignRow, createCampaignsRepository } from './campaigns.repository';
import { DEFAULT_REACTIVATION } from './reactivation';

/** What the campaigns' services share: the wire shape of a campaign, and who may see what. */

export const ZERO_TOTALS: MetricTotals = { impressions: 0, clicks: 0, leads: 0, wins: 0 };

/** A stored segment as the wire shows it: `{}` (the column's default) is a segment with no rules. */
export const segmentOf = (row: CampaignRow): Segment => {
  const parsed = segmentSchema.safeParse(row.segment);
  return parsed.success ? parsed.data : { rules: [] };
};

export const toCampaign = (row: CampaignRow, now: string, totals: MetricTotals = ZERO_TOTALS): Campaign => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  type: row.type,
  status: row.status,
  startAt: row.startAt,
  endAt: row.endAt,
  live: isLive(row, now),
  segment: segmentOf(row),
  messageTemplate: row.messageTemplate,
  reactivation: row.type === 'REACTIVATION' ? (row.reactivation ?? DEFAULT_REACTIVATION) : null,
  whatsappTemplate: row.whatsappTemplate ?? null,
  standing: row.standing,
  totals,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
});

const campaigns = createCampaignsRepository();

/** The shop's campaign (locked when asked), else 404: another shop's campaign is a 404, whoever asks. */
export async function requireCampaign(tx: Tx, tenantId: string, id: string, lock = false) {
  const row = await campaigns.find(tx, tenantId, id, { lock });
  if (!row) throw notFound('Campaign');
  return row;
}

/**
 * Segments (their members' names and phones) and the links handed out are the work of those who see the whole
 * shop (OWNER, MANAGER, the shop's API keys); a SELLER gets a 403.
 */
export const requireWholeShop = (viewer: Principal) => {
  if (branchScope(viewer) !== null) throw forbidden('Only an owner or a manager sees segments and sends');
};
