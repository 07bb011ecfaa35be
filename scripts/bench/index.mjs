// The workspace index (cross-file knowledge) through the built language server: a workspace of N files made of
// copies of the corpus, a fresh `dist/server.js --stdio` per size, the time until the server logs
// "Failpath: indexed N files in X ms (heap H MB)", and the server's resident memory (Linux /proc) once the index
// is built and again once a file of that workspace was opened and its diagnostics arrived.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Session } from './latency.mjs';

export const INDEX_SIZES = [1_000, 5_000, 10_000];
const INDEX_TIMEOUT_MS = 10 * 60_000;
const INDEX_DONE = /^Failpath: (?:indexed (\d+) files in (\d+) ms \(heap (\d+) MB\)\.|(workspace indexing (?:cancelled|failed)[^\n]*))/;

/**
 * `files` files under `target`: the corpus entries copied in order into `copy-0/`, `copy-1/`…, so that relative
 * imports resolve inside each copy; a package.json and a tsconfig.json at the root, as in a real project.
 */
export function buildIndexWorkspace(entries, target, files) {
  if (entries.length === 0) throw new Error('cannot build a workspace from an empty corpus');
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify({ name: 'failpath-index-bench', version: '1.0.0', private: true }, null, 2)}\n`);
  fs.writeFileSync(path.join(target, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: { target: 'es2022', module: 'commonjs', allowJs: true, strict: true, baseUrl: '.' } }, null, 2)}\n`);
  let lines = 0;
  for (let written = 0; written < files; written++) {
    const entry = entries[written % entries.length];
    const file = path.join(target, `copy-${Math.floor(written / entries.length)}`, entry.relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, entry.text);
    lines += entry.lines;
  }
  return { files, lines };
}

/** Resident and peak resident memory of a process in MB, from /proc (undefined where there is no /proc). */
export function residentMemoryMb(pid) {
  let status;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kilobytes = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kilobytes('VmRSS') / 1024, peak: kilobytes('VmHWM') / 1024 };
}

/** The file a user opens after indexing: the longest one of the first copy (the heaviest analysis on top of the index). */
function fileToOpen(entries, workspace) {
  const longest = entries.reduce((best, entry) => (entry.lines > best.lines ? entry : best));
  return { file: path.join(workspace, 'copy-0', longest.relative), text: longest.text, lines: longest.lines };
}

async function measureOneSize(repoRoot, entries, workspace, files) {
  const volume = buildIndexWorkspace(entries, workspace, files);
  const session = new Session(repoRoot, path.join(repoRoot, 'dist', 'server.js'));
  try {
    const indexed = session.logMatching(INDEX_DONE, INDEX_TIMEOUT_MS);
    const started = performance.now();
    await session.initialize(workspace, { workDoneProgress: true });
    const { at, match } = await indexed;
    if (match[4]) throw new Error(`the server did not finish indexing ${files} files: ${match[4]}`);
    const afterIndex = residentMemoryMb(session.pid);
    const opened = fileToOpen(entries, workspace);
    const uri = pathToFileURL(opened.file).href;
    const published = session.diagnosticsFor(uri, 1);
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: opened.file.endsWith('.ts') ? 'typescript' : 'javascript', version: 1, text: opened.text } });
    const diagnostics = await published;
    const afterOpen = residentMemoryMb(session.pid);
    return {
      files,
      lines: volume.lines,
      indexedFiles: Number(match[1]),
      indexMs: Number(match[2]),
      wallMs: at - started,
      heapMb: Number(match[3]),
      rssMb: afterIndex?.rss,
      peakRssMb: afterOpen?.peak,
      rssAfterOpenMb: afterOpen?.rss,
      opened: { file: path.relative(workspace, opened.file), lines: opened.lines, diagnostics: diagnostics.count },
    };
  } finally {
    await session.stop();
  }
}

/** One fresh server per size (a cold index each time); the workspace is written under `scratch` and removed after. */
export async function measureIndex(repoRoot, entries, scratch, { sizes = INDEX_SIZES, onSize = () => {} } = {}) {
  const results = [];
  for (const files of sizes) {
    onSize(files);
    const workspace = path.join(scratch, `index-${files}`);
    try {
      results.push(await measureOneSize(repoRoot, entries, workspace, files));
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  }
  return results;
}

// `node scripts/bench/index.mjs [N...]`: this step alone on the default corpus (needs `npm run build`).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { loadEngine } = await import('./engine.mjs');
  const { buildDefaultCorpus, readCorpus, walkSources } = await import('./corpus.mjs');
  const { formatCount, formatMs } = await import('./stats.mjs');
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const sizes = process.argv.slice(2).map(Number);
  const { engine } = await loadEngine(repoRoot);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-bench-index-'));
  try {
    const corpusDir = path.join(scratch, 'default');
    buildDefaultCorpus(repoRoot, engine, corpusDir);
    const { entries } = readCorpus(walkSources(corpusDir), engine, corpusDir);
    const results = await measureIndex(repoRoot, entries, scratch, {
      sizes: sizes.length > 0 ? sizes : INDEX_SIZES,
      onSize: (files) => process.stderr.write(`bench: workspace index, ${formatCount(files)} files\n`),
    });
    for (const result of results) {
      console.log(`${formatCount(result.files)} files (${formatCount(result.lines)} lines): indexed ${formatCount(result.indexedFiles)} in ${formatMs(result.indexMs)} (wall ${formatMs(result.wallMs)}), heap ${result.heapMb} MB, RSS ${result.rssMb?.toFixed(0)} MB after indexing, ${result.rssAfterOpenMb?.toFixed(0)} MB after opening ${result.opened.file} (${formatCount(result.opened.lines)} lines, ${result.opened.diagnostics} diagnostics), peak ${result.peakRssMb?.toFixed(0)} MB`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
