// `pnpm build`: the BFF as one ES module for plain `node dist/main.js`. The workspace's own
// TypeScript packages (contracts, core) are compiled in; every npm package stays an import, found
// in the BFF's production dependencies. The sandbox stays a lazy import used only in sandbox mode.
import { build } from 'esbuild';

const inlined = new Set(['@flightdeck/contracts', '@flightdeck/core']);

await build({
  // The server, and the CLI (`node dist/cli.js …`) for pipelines and operators without a checkout.
  entryPoints: { main: 'src/main.ts', cli: 'src/cli/cli.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'npm-packages-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith('@')
            ? args.path.split('/').slice(0, 2).join('/')
            : args.path.split('/')[0];
          return inlined.has(name) ? undefined : { path: args.path, external: true };
        });
      },
    },
  ],
});
