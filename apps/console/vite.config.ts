import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('.', import.meta.url));
const corral = process.env.CORRAL_URL ?? 'http://localhost:9229';

// Corral serves the built console at /console (packages/corral/src/http/console.ts). `vite dev` proxies the API
// (POST /) and the console's two plain routes to a running Corral, so the dev page is same-origin like the real one.
export default defineConfig({
  root: appDir,
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5174,
    proxy: {
      '^/$': { target: corral },
      '/_corral': { target: corral },
    },
  },
});
