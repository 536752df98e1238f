// The web app's build: `npm run web:build` writes web/dist, which the API serves at `/`.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  // `npx vite --config web/vite.config.ts` during development: the API on its default port.
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/web-config.json': 'http://127.0.0.1:3000' } },
});
