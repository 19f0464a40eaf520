import type { FastifyInstance } from 'fastify';
import type { JobDefinition } from './jobs';

/**
 * What a module hands `app.ts`: its routes, its jobs and its listeners. Each module's `index.ts` builds one with
 * `createXModule(deps)`, from parts it is handed (the platform's and other modules'), never ones it reaches for;
 * next to these fields it offers what other modules may ask of it. `app.ts` lists the modules in order and mounts
 * what they hand over in that order (ARCHITECTURE.md, "How a module plugs in").
 */
export interface AppModule {
  /** Its routes under /api/v1, each routes file registered as its own encapsulated plugin. */
  routes?(api: FastifyInstance): Promise<void>;
  /** Its routes outside /api/v1 (short links, the public quote page), mounted before the web app's fallback. */
  publicRoutes?(app: FastifyInstance): Promise<void>;
  /** The jobs its services run: worked by the worker, run in-process by tests and one-off tools. */
  jobs?: readonly JobDefinition[];
  /**
   * Subscribes to the events it was handed (a lead committed, leads gone dormant). Called once every module is
   * built, in the list's order, which is the order listeners of one event run in.
   */
  listen?(): void;
  /**
   * Sends now what it holds back for a moment (the WhatsApp webhook's nudges, one per tenant per window):
   * `drainJobs()` calls it before running the jobs.
   */
  flush?(): Promise<void>;
  /** The app has stopped serving: sends what it holds back, and holds nothing back any more. */
  close?(): Promise<void>;
}
