import type { Tx } from '../../platform/db';
import { createLeadsRepository } from './leads.repository';

/**
 * A marketplace signal on the customer's history (chapter 11.2.1): a listing view by a known customer (their
 * marketplace user id or visitor id is a contact's) who has an open lead becomes a LISTING_VIEW event on that
 * lead: the one about this listing if there is one, else the one they were last active on. Views by people the
 * shop does not know, or who have no open lead, leave no event. Tracking hands the views over in a job, after
 * the view's answer: the view endpoint pays nothing for it.
 */

export interface ViewedListing {
  /** listing_view.id: the event's key, so a job that runs twice writes each event once. */
  viewId: number;
  listingId: string;
  campaignId: string | null;
  marketplaceUserId: string | null;
  visitorId: string | null;
  createdAt: string;
}

export function createListingViewEvents() {
  const repo = createLeadsRepository();

  return {
    /** Records the views of known customers on their open leads; answers how many events were written. */
    async record(tx: Tx, tenantId: string, views: readonly ViewedListing[]): Promise<number> {
      const userIds = [...new Set(views.flatMap((v) => (v.marketplaceUserId ? [v.marketplaceUserId] : [])))];
      const visitorIds = [...new Set(views.flatMap((v) => (v.visitorId ? [v.visitorId] : [])))];
      if (userIds.length === 0 && visitorIds.length === 0) return 0;
      const open = await repo.openLeadsOfCustomers(tx, tenantId, userIds, visitorIds);
      if (open.length === 0) return 0;
      const recorded = await repo.listingViewEventKeys(
        tx,
        tenantId,
        [...new Set(open.map((l) => l.leadId))],
        views.map((v) => v.viewId),
      );
      const events = views.flatMap((view) => {
        if (recorded.has(String(view.viewId))) return [];
        // Newest activity first (the repository's order): the first match is the lead they were last on.
        const mine = open.filter(
          (l) =>
            (view.marketplaceUserId !== null && l.marketplaceUserId === view.marketplaceUserId) ||
            (view.visitorId !== null && l.visitorId === view.visitorId),
        );
        const target = mine.find((l) => l.listingId === view.listingId) ?? mine[0];
        if (!target) return [];
        return [
          {
            tenantId,
            leadId: target.leadId,
            type: 'LISTING_VIEW' as const,
            payload: { viewId: String(view.viewId), listingId: view.listingId, campaignId: view.campaignId },
            actorUserId: null,
            createdAt: view.createdAt,
          },
        ];
      });
      await repo.insertEvents(tx, events);
      return events.length;
    },
  };
}
