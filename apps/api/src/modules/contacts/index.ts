import type { AppModule } from '../../platform/app-module';
import { consentRoutes } from './consent.routes';
import { type ConsentDeps, createConsentService } from './consent.service';
import { createCustomerMergeService } from './customer-merge.service';
import { customersRoutes } from './customers.routes';
import { createCustomersService } from './customers.service';

export { type ContactsService, createContactsService } from './contacts.service';

/**
 * The contacts module's one public face. `createContactsService()` finds or creates the customer behind a click, a
 * lead or a message, in the caller's transaction; app.ts builds it first and hands it to leads, tracking and
 * WhatsApp. The module itself is the customers as people work them (list, search, page, edits, duplicates and
 * merges) and their marketing consent, built once the campaigns are, since opting out also stops the campaigns'
 * open messages.
 */
export function createContactsModule(deps: ConsentDeps): AppModule {
  const consent = createConsentService(deps);
  const customers = createCustomersService(deps);
  const merging = createCustomerMergeService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(consentRoutes, { consent });
      await api.register(customersRoutes, { customers, merging });
    },
  };
}
