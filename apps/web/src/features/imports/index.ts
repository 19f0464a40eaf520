/** What other parts of the app use of the imports: its page. */
export { ImportsPage } from './components/imports-page';
