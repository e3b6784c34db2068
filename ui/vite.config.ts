// Builds the explorer into ui/dist, which the server serves at / (src/explorer/static.ts).
// Preact through the automatic JSX runtime of Vite's own transformer (Oxc): no Babel, no plugin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: true },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
