// Builds the explorer into ui/dist, which the server serves at / (src/explorer/static.ts).
// Preact through esbuild's automatic JSX runtime: no Babel, no plugin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: true },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
