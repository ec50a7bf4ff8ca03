import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // The manifest lets the first-page budget test find what `/` loads.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200, manifest: true },
  // `pnpm dev` proxies the API to a BFF started with `pnpm start`.
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
