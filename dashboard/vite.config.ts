import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const API_TARGET = 'http://127.0.0.1:3000';

/**
 * Builds src/sw/sw.ts into dist/sw.js (a fixed name at the root: the worker's scope is the whole
 * app) and writes into it the list of files to precache and a version, both taken from the bundle
 * Vite has just produced. Production builds only: `vite dev` has no worker.
 */
function serviceWorker(): Plugin {
  const swFile = 'sw.js';
  const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
  return {
    name: 'gridline-sw',
    apply: 'build',
    enforce: 'post',
    buildStart() {
      this.emitFile({ type: 'chunk', id: fileURLToPath(new URL('./src/sw/sw.ts', import.meta.url)), fileName: swFile });
    },
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const sw = bundle[swFile];
        if (sw?.type !== 'chunk') throw new Error('gridline-sw: sw.js was not built');
        if (sw.imports.length > 0) throw new Error(`gridline-sw: sw.js must be self-contained, imports ${sw.imports.join(', ')}`);
        const html = bundle['index.html'];
        if (html?.type !== 'asset') throw new Error('gridline-sw: index.html is not in the bundle');
        const files = Object.keys(bundle).filter((name) => name !== swFile && !name.endsWith('.map') && !name.startsWith('.vite/'));
        const publicFiles = readdirSync(publicDir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => `${entry.parentPath.slice(publicDir.length)}/${entry.name}`.replace(/^\/+/, ''));
        const precache = [...new Set([...files, ...publicFiles])].sort().map((name) => `/${name}`);
        const version = createHash('sha256').update(JSON.stringify(precache)).update(String(html.source)).digest('hex').slice(0, 12);
        sw.code = sw.code
          .replaceAll('__GRIDLINE_SW_VERSION__', JSON.stringify(version))
          .replaceAll('__GRIDLINE_PRECACHE__', JSON.stringify(precache));
      },
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [vue(), serviceWorker()],
  resolve: {
    alias: [
      // Exact match only: the shared package is consumed from source, not from its CJS build.
      { find: /^@gridline\/shared$/, replacement: fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)) },
      { find: /^@\//, replacement: fileURLToPath(new URL('./src/', import.meta.url)) },
    ],
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: true },
      '/socket.io': { target: API_TARGET, changeOrigin: true, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: true },
      '/socket.io': { target: API_TARGET, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
});
