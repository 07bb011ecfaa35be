// Corpora of real code: the default one is built offline from the project's own sources and the sources of
// server-side packages in node_modules; any directory can be given instead. Only files the engine analyzes in
// full are kept (source extension, not a test file, not minified or generated, under maxFileSize), so the
// parse-only baseline and the analysis cover exactly the same text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lineCount } from './stats.mjs';

// The CLI's own skip list (server/src/cli/files.ts), so that spawning the CLI on a copy finds the same files.
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt']);

/** Directories of the default corpus: [label, path relative to the repository]. */
const DEFAULT_SOURCES = [
  ['failpath-server', 'server/src'],
  ['failpath-examples', 'examples/src'],
  ['express', 'node_modules/express/lib'],
  ['router', 'node_modules/router'],
  ['body-parser', 'node_modules/body-parser/lib'],
  ['axios', 'node_modules/axios/lib'],
  ['pino', 'node_modules/pino/lib'],
  ['ioredis', 'node_modules/ioredis/built'],
  ['stripe', 'node_modules/stripe/cjs'],
  ['vscode-jsonrpc', 'node_modules/vscode-jsonrpc/lib'],
  ['vscode-languageserver', 'node_modules/vscode-languageserver/lib'],
  ['playwright-core-server', 'node_modules/playwright-core/lib/server'],
];

/** Every source-named file under `dir`, sorted, walking as the CLI does (no symlinks followed here). */
export function walkSources(dir) {
  const found = [];
  const visit = (current) => {
    let entries;
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(child);
      } else if (entry.isFile()) {
        found.push(child);
      }
    }
  };
  visit(dir);
  return found.sort();
}

/** Reads `files` and keeps those the engine analyzes in full; reports how many were left out and why. */
export function readCorpus(files, engine, root) {
  const maxFileSize = engine.defaultSettings().maxFileSize;
  const entries = [];
  const excluded = { tests: 0, generated: 0, large: 0 };
  for (const file of files) {
    if (!engine.isAnalyzableFile(file)) continue;
    const relative = path.relative(root, file);
    if (engine.isTestFile(file)) {
      excluded.tests++;
      continue;
    }
    const bytes = fs.readFileSync(file);
    if (bytes.length > maxFileSize) {
      excluded.large++;
      continue;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (engine.looksGeneratedOrMinified(text)) {
      excluded.generated++;
      continue;
    }
    entries.push({ path: file, relative, text, lines: lineCount(text) });
  }
  return { entries, excluded };
}

export function corpusLines(entries) {
  return entries.reduce((sum, entry) => sum + entry.lines, 0);
}

/** The default corpus, copied into `target` (the CLI skips node_modules, so the files must live elsewhere). */
export function buildDefaultCorpus(repoRoot, engine, target) {
  fs.rmSync(target, { recursive: true, force: true });
  const sources = [];
  for (const [label, relative] of DEFAULT_SOURCES) {
    const dir = path.join(repoRoot, relative);
    if (!fs.existsSync(dir)) continue;
    const { entries } = readCorpus(walkSources(dir), engine, dir);
    for (const entry of entries) writeFile(path.join(target, label, entry.relative), entry.text);
    sources.push({ label, relative, files: entries.length, lines: corpusLines(entries) });
  }
  return sources;
}

/** Copies of `entries` under `target/copy-N/` until the total reaches `targetLines`; returns files and lines written. */
export function replicateToLines(entries, target, targetLines) {
  fs.rmSync(target, { recursive: true, force: true });
  const perCopy = corpusLines(entries);
  if (perCopy === 0) throw new Error('cannot replicate an empty corpus');
  let lines = 0;
  let files = 0;
  for (let copy = 0; lines < targetLines; copy++) {
    for (const entry of entries) {
      if (lines >= targetLines) break;
      writeFile(path.join(target, `copy-${copy}`, entry.relative), entry.text);
      lines += entry.lines;
      files++;
    }
  }
  return { files, lines };
}

function writeFile(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
