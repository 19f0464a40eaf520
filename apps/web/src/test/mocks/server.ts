import { setupServer } from 'msw/node';

/** The API as the component tests see it: each test adds the handlers it needs (`server.use`, see api.ts). */
export const server = setupServer();
