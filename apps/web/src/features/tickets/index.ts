/** What other features use of tickets: the lead page's convert button. */
export { ConvertTicketButton } from './components/convert-ticket-button';
