import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

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

/**
 * The app's stylesheet (Mantine's, 34 KB gzip) does not hold the first paint: index.html only preloads it, and
 * src/lib/app-styles.ts applies it before React's first render. The first paint is then the splash, which is
 * styled inline (index.html) and needs the page, `color-scheme.js` and no more: on a phone's slow network it no
 * longer waits for the stylesheet to arrive beside the scripts that share the connection with it.
 */
function nonBlockingStyles(): Plugin {
  return {
    name: 'techmarket-non-blocking-styles',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        return html.replace(
          /<link rel="stylesheet"( crossorigin)? href="(\/assets\/index-[^"]+\.css)">/,
          (_link, crossorigin: string | undefined, href: string) =>
            `<link rel="preload" as="style"${crossorigin ?? ''} href="${href}" data-app-styles>`,
        );
      },
    },
  };
}

/**
 * The installable app: the web app manifest and the service worker (sw/sw.ts, Workbox; see there what it caches).
 * The page registers it itself (src/main.tsx) to prompt for updates instead of reloading under the user.
 */
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'sw',
  filename: 'sw.ts',
  registerType: 'prompt',
  injectRegister: false,
  includeAssets: ['color-scheme.js', 'icons/apple-touch-icon.png'],
  manifest: {
    id: '/',
    name: 'TechMarket CRM',
    short_name: 'TechMarket',
    description: 'Leads, seguimiento y WhatsApp para tu tienda',
    lang: 'es-419',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    background_color: '#ffffff',
    theme_color: '#1c7ed6',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  injectManifest: {
    // The shell: the page, its bundles and styles, the icons. The PDF.js worker (over 1 MB) loads when a quote's
    // preview needs it, not at install.
    globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
    globIgnores: ['**/pdf.worker*'],
  },
});

// `npm run dev` serves the app with hot reload and forwards /api to the API (`npm run dev` at the root, port 3000).
export default defineConfig({
  plugins: [react(), pwa, nonBlockingStyles(), precompress()],
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: { '/api': { target: process.env.API_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
