import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
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
        // The wall's ECharts chunk is not part of the phone's offline shell: /m never downloads it.
        const wallOnly = (name: string) => bundle[name]?.type === 'chunk' && (bundle[name] as { name?: string }).name === ECHARTS_CHUNK;
        const files = Object.keys(bundle).filter(
          (name) => name !== swFile && !name.endsWith('.map') && !name.startsWith('.vite/') && !wallOnly(name),
        );
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

/** ECharts and zrender, in one chunk of their own that only the wall imports. */
const ECHARTS_CHUNK = 'echarts';

/**
 * Writes `<file>.br` and `<file>.gz` beside every built text file of 1 KiB or more, at the
 * highest levels (done once per build, not per request); the server serves them as they are
 * (@fastify/static `preCompressed`).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'gridline-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
    },
    closeBundle() {
      const files = readdirSync(outDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/.test(e.name) && !e.parentPath.includes('.vite'))
        .map((e) => join(e.parentPath, e.name));
      for (const file of files) {
        const source = readFileSync(file);
        if (source.length < 1024) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(source, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: source.length } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [vue(), serviceWorker(), precompress()],
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
    // dist/.vite/manifest.json: which chunks each route loads (test/dashboard-chunks.e2e.ts reads it).
    manifest: true,
    rollupOptions: {
      output: {
        manualChunks: (id) => (/[\\/]node_modules[\\/](echarts|zrender)[\\/]/.test(id) ? ECHARTS_CHUNK : undefined),
      },
    },
    // ECharts alone is ~600 kB minified (~200 kB over the wire, brotli less); it is the wall's, loaded on /wall only.
    chunkSizeWarningLimit: 800,
  },
});
