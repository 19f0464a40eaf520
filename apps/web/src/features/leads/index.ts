/** What other features use of leads: the query key, the lost-reason and win dialogs. */
export { leadsKey } from './api/leads';
export { LostReasonModal } from './components/lost-reason-modal';
export { WinLeadModal } from './components/win-lead-modal';
