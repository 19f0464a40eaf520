/**
 * The login form's schemas, loaded on demand by login-page.tsx. A module of its own, so that the lazy chunk holds
 * only these two (and zod): importing `@techmarket/contracts` itself lazily would make the package's whole index a
 * chunk that every screen using one of its helpers then loads.
 */
export { loginBody, loginProblem } from '@techmarket/contracts';
