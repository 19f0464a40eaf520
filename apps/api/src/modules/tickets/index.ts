/** The tickets module's one public face: what app.ts, the worker and other modules may import. */
export { ticketsRoutes } from './tickets.routes';
export { createTicketsService } from './tickets.service';
