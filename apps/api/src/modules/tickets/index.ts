import type { AppModule } from '../../platform/app-module';
import { ticketsRoutes } from './tickets.routes';
import { createTicketsService, type TicketsDeps } from './tickets.service';

/** The tickets module's one public face: service tickets converted from leads, mounted by app.ts. */
export function createTicketsModule(deps: TicketsDeps): AppModule {
  const tickets = createTicketsService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(ticketsRoutes, { tickets });
    },
  };
}
