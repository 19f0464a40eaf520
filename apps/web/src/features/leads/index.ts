/** What other features use of leads: the query key and the lost-reason dialog. */
export { leadsKey } from './api/leads';
export { LostReasonModal } from './components/lost-reason-modal';
