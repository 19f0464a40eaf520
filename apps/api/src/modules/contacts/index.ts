/** The contacts module's one public face: what app.ts, the worker and other modules may import. */
export { consentRoutes } from './consent.routes';
export { createConsentService } from './consent.service';
export { type ContactsService, createContactsService } from './contacts.service';
