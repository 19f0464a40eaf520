// `npm run build -w @techmarket/api`: the API and worker compiled for plain node (no tsx compiling TypeScript in the
// process), into apps/api/dist/:
//   node --import ./dist/telemetry.js dist/server.js --role=api|worker|all
// esbuild bundles the app's own modules (and @techmarket/contracts, which ships TypeScript) into ES modules, split
// into chunks so that what a role imports lazily stays out of its start; every other package stays a plain import
// from node_modules. The files the app reads beside its code (platform/assets.ts) are copied under dist/ with the
// paths they have under src/. Run again whenever the sources change: the start scripts build first (prestart).
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const apiDir = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(apiDir, 'src');
const outdir = path.join(apiDir, 'dist');

/**
 * Packages bundled rather than imported: the workspace's own (TypeScript), and pure ES-module packages of many small
 * files of which the app uses a part. Node's loader pays for every file of a package's index: importing date-fns
 * made a process of 360 MB (its 300 functions' modules, and every locale's), drizzle-orm one of 170 MB; bundled,
 * only what the app calls is there.
 */
const bundled = /^(@techmarket\/|date-fns(\/|$)|@date-fns\/tz(\/|$)|drizzle-orm(\/|$))/;

/** Every other bare import (packages, node:…) stays an import from node_modules. */
const packagesExternal = {
  name: 'packages-external',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) =>
      bundled.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

/** Files under src/ the app reads at run time (not code, not documentation, not the tests' or tools' data). */
const isAsset = (file) =>
  !/\.(ts|md)$/.test(file) &&
  (file.startsWith('modules/whatsapp/simulator/phone/') ||
    file === 'modules/assistant/classifier/data/messages.jsonl' ||
    file === 'modules/assistant/classifier/data/fresh.txt');

const started = Date.now();
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: apiDir,
  // `node build.mjs --bench` adds the benches' API process (bench/api-server.ts: the app as the server builds it,
  // driven over IPC), so that `npm run bench:export` can measure the built API (BENCH_API_BUILT=1).
  entryPoints: {
    server: 'src/server.ts',
    telemetry: 'src/telemetry.ts',
    ...(process.argv.includes('--bench') ? { 'api-server': 'bench/api-server.ts' } : {}),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Class and function names as written: errors and logs print them.
  keepNames: true,
  sourcemap: 'linked',
  // Chunks beside the entries: platform/assets.ts finds dist/ as the folder of the module it is bundled in.
  chunkNames: '[name]-[hash]',
  plugins: [packagesExternal],
  logLevel: 'warning',
});
for (const file of await readdir(src, { recursive: true })) {
  const relative = file.split(path.sep).join('/');
  if (!isAsset(relative)) continue;
  await mkdir(path.dirname(path.join(outdir, relative)), { recursive: true });
  await cp(path.join(src, relative), path.join(outdir, relative));
}
process.stdout.write(`apps/api/dist built in ${Date.now() - started} ms\n`);
