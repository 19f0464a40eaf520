/**
 * The leads module's public face: what other modules and app.ts may use. The rest of the folder (repositories,
 * column sets, the inbox cursor, assignment) is the module's own.
 */
import type { AppModule } from '../../platform/app-module';
import type { RealtimeBus } from '../../platform/realtime';
import type { IdentityService } from '../identity';
import type { LeadFeed } from './lead-feed';
import { type LeadsLiveOptions, leadsLiveRoutes } from './leads.live.routes';
import { leadsRoutes } from './leads.routes';
import { createLeadsService, type LeadsDeps } from './leads.service';

export {
  type CapturedLead,
  type ClickCapture,
  captureClick,
  captureTrackedClick,
  captureTrackedLinkVisit,
  type TrackedClick,
  trackedClickText,
} from './capture';
export {
  type ClickAtOnceResult,
  type ClickProblem,
  type ClickRow,
  clickResultOf,
} from './capture.repository';
export { type ConversationLeads, createConversationLeads, type ReceivedMessage } from './conversation-leads';
export { type InboxFilter, inboxConditions } from './inbox.repository';
export { createLeadAutomation, type LeadAutomation } from './lead-automation';
export type { BranchScope } from './lead-columns';
export { createLeadFeed, type LeadFeed } from './lead-feed';
export { createLeadLookup, type LeadLookup } from './lead-lookup';
export {
  createLeadProgress,
  isEarlierThan,
  type LeadMove,
  type LeadProgress,
  type ReplyChannels,
} from './lead-progress';
export type { NewLeadEvent } from './leads.repository';
export { createListingViewEvents, type ViewedListing } from './listing-view-events';
export { assertTransition } from './pipeline';

export interface LeadsModuleDeps extends LeadsDeps {
  /** Built before the module (app.ts): the assistant and every module that changes a lead tell it too. */
  feed: LeadFeed;
  realtime: RealtimeBus;
  identity: Pick<IdentityService, 'findUser' | 'findBranch' | 'resolvePrincipal' | 'onRevoked'>;
  /** How often an open stream checks its principal again, and what runs that check. */
  recheck: LeadsLiveOptions['recheck'];
  /** How often an open stream gets a heartbeat comment, so proxies keep it open. */
  heartbeatMs: LeadsLiveOptions['heartbeatMs'];
}

/** The inbox, a lead's page and the live stream (app.ts mounts them; the feed is handed in, built before). */
export function createLeadsModule(deps: LeadsModuleDeps): AppModule {
  const { feed, realtime, identity, recheck, heartbeatMs } = deps;
  const leads = createLeadsService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(leadsRoutes, { leads });
      await api.register(leadsLiveRoutes, {
        feed,
        realtime,
        principals: identity,
        recheck,
        heartbeatMs,
      });
    },
  };
}
