/** What other features use of quick replies: the composer's picker and the filling of variables from a lead. */
export { QuickReplyPicker, type QuickReplyPickerProps } from './components/quick-reply-picker';
export {
  fillQuickReplyForLead,
  type QuickReplyLead,
  quickReplyValues,
  unfilledVariables,
} from './lib/fill-from-lead';
