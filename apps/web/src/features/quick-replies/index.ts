/** What other features use of quick replies: the composer's picker, the filling of variables from a lead, the settings panel. */

export { QuickRepliesPanel } from './components/quick-replies-panel';
export { QuickReplyPicker, type QuickReplyPickerProps } from './components/quick-reply-picker';
export {
  fillQuickReplyForLead,
  type QuickReplyLead,
  quickReplyValues,
  unfilledVariables,
} from './lib/fill-from-lead';
