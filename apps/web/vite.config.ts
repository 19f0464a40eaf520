import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes .br and .gz beside every text asset at build time; the API serves them (@fastify/static
 * `preCompressed`) to browsers that accept them, so nothing is compressed per request.
 */
function precompress(): Plugin {
  return {
    name: 'techmarket-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      const names = [...Object.keys(bundle), 'index.html'].filter((name) =>
        /\.(m?js|css|html|svg|json)$/.test(name),
      );
      for (const name of new Set(names)) {
        const file = path.join(dir, name);
        let content: Buffer;
        try {
          content = readFileSync(file);
        } catch {
          continue;
        }
        if (content.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
        );
      }
    },
  };
}

// `npm run dev` serves the app with hot reload and forwards /api to the API (`npm run dev` at the root, port 3000).
export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: { '/api': { target: process.env.API_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
