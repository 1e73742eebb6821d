import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM module shared with server.mjs (no type declarations)
import { ConfigError, loadSiteConfig } from './config-source.mjs';

const appDir = fileURLToPath(new URL('.', import.meta.url));

/** `vite dev` serves /config.json the same way server.mjs does. */
function siteConfig(): Plugin {
  return {
    name: 'wildrydes-config',
    configureServer(server) {
      server.middlewares.use('/config.json', (_req, res) => {
        loadSiteConfig({ appDir }).then(
          ({ config }: { config: unknown }) => {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(config));
          },
          (err: Error & { status?: number }) => {
            res.statusCode = err instanceof ConfigError ? (err.status ?? 503) : 500;
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify({ error: err.message }));
          },
        );
      });
    },
  };
}

export default defineConfig({
  root: appDir,
  plugins: [react(), siteConfig()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // The local mailbox is relayed to Corral server-side, as server.mjs does (it sends no CORS headers).
  server: { port: 5173, proxy: { '/_corral/mail': process.env.CORRAL_URL ?? 'http://localhost:9229' } },
});
