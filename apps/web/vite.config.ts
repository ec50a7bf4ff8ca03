import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  // `pnpm dev` proxies the API to a BFF started with `pnpm start`.
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
