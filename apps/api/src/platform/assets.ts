import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files the app reads beside its code (the WhatsApp simulator's page, the assistant's data set, the migrations),
 * found the same way in both layouts the app runs from:
 * - the sources, under tsx (tests, `npm run dev`, the benches): this module is `apps/api/src/platform/assets.ts`;
 * - the build (`npm run build`: `apps/api/dist/server.js` and its chunks, every file in one folder), where the build
 *   copies the source tree's assets under `dist/` with the same paths they have under `src/`.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const fromSources = path.basename(here) === 'platform' && path.basename(path.dirname(here)) === 'src';

/** `src/` when run from the sources, `dist/` when run from the build. */
const codeRoot = fromSources ? path.dirname(here) : here;

/** `apps/api`. */
export const apiRoot = path.dirname(codeRoot);

/** The repository's root (the embedded database's default data and the built web app are found from it). */
export const repoRoot = path.resolve(apiRoot, '../..');

/** Whether this process runs the build (`dist/`) rather than the sources. */
export const runsBuild = !fromSources;

/**
 * The path of an asset the app ships beside its code, given as its path under `src/`
 * (`modules/whatsapp/simulator/phone/index.html`): there in the sources, the build's copy under `dist/` in a build.
 */
export const appAsset = (pathUnderSrc: string) => path.join(codeRoot, pathUnderSrc);

/** The migrations folder (`apps/api/drizzle`, in both layouts). */
export const migrationsFolder = path.join(apiRoot, 'drizzle');
