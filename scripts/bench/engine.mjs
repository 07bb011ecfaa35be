// The engine and the CLI's per-file work, bundled from source for in-process timing. `typescript` stays external,
// so the parse-only baseline and the engine run the very same compiler module.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { typescriptWithoutInterop } from '../esbuild-typescript.mjs';

const ENTRY = `
export { analyze, defaultSettings, ALL_RULES } from './server/src/engine';
export { processFile } from './server/src/cli/analyzeFile';
export { parseFile, looksGeneratedOrMinified, isAnalyzableFile } from './server/src/engine/parse';
export { isTestFile } from './server/src/engine/environment';
export { EMPTY_PROJECT } from './server/src/engine/project';
`;

export async function loadEngine(repoRoot) {
  // Inside the repository, so that `require('typescript')` resolves to the project's copy.
  const outfile = path.join(repoRoot, 'node_modules', '.cache', 'failpath-bench', 'engine.cjs');
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    stdin: { contents: ENTRY, resolveDir: repoRoot, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['typescript'],
    outfile,
    logLevel: 'warning',
    // As dist/ is built, so the bench times what ships.
    plugins: [typescriptWithoutInterop(path.join(repoRoot, 'server', 'src'))],
  });
  const require = createRequire(outfile);
  return { engine: require(outfile), ts: require('typescript') };
}
