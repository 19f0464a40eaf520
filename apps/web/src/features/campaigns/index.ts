/** What other features use of campaigns: recording a customer's reply, the consent card, the query key. */
export { recordCampaignReply } from './api/campaign-replies';
export { campaignsKey } from './api/campaigns';
export { ContactConsent } from './components/contact-consent';
