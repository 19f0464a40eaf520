/** What other features use of quotes: the lead page's quote button. */
export { QuoteButton } from './components/quote-button';
