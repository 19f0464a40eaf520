/** What other features use of the follow-up policy: its settings panel. */
export { FollowupPolicyPanel } from './components/followup-policy-panel';
