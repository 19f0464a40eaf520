/**
 * The leads module's public face: what other modules and app.ts may use. The rest of the folder (repositories,
 * column sets, the inbox cursor, assignment) is the module's own. Older imports of the files below by path still
 * work while the modules that use them move to this one.
 */

export { nextInTurn } from './assignment';
export { type CapturedLead, type ClickCapture, captureClick } from './capture';
export { type ConversationLeads, createConversationLeads, type ReceivedMessage } from './conversation-leads';
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
export { leadsLiveRoutes } from './leads.live.routes';
export type { NewLeadEvent } from './leads.repository';
export { leadsRoutes } from './leads.routes';
export { createLeadsService, type LeadsService } from './leads.service';
export { assertTransition } from './pipeline';
