// Bundles the client, the server and the CLI into dist/ with esbuild.
import { build } from 'esbuild';
import { typescriptWithoutInterop } from './esbuild-typescript.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [typescriptWithoutInterop('server/src')] }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [typescriptWithoutInterop('server/src')], banner: { js: '#!/usr/bin/env node' } }),
]);
