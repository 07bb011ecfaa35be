// `npm run bench [-- <dir>] [--also <dir>]... [--reps N] [--skip-2m] [--skip-latency] [--skip-index]`, or `-- --report-only`
// Throughput (analysis vs parse-only), the CLI end to end (1 worker vs default), editor latency through the built
// server, the workspace index (cold index time and server RSS for 1k-10k files), and a ~2M-line CLI run. Prints a table and writes docs/performance.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './bench/engine.mjs';
import { buildDefaultCorpus, corpusLines, readCorpus, replicateToLines, walkSources } from './bench/corpus.mjs';
import { measureAnalysisCpu, measureRuleCosts, measureThroughput } from './bench/throughput.mjs';
import { generateRouterFile } from './bench/generate.mjs';
import { measureCli } from './bench/cliRun.mjs';
import { measureLatency } from './bench/latency.mjs';
import { measureIndex } from './bench/index.mjs';
import { markdown, printTable, summaryRows } from './bench/report.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const TWO_MILLION = 2_000_000;
const LAST_RESULTS = path.join(REPO_ROOT, 'node_modules', '.cache', 'failpath-bench', 'last-results.json');

function parseArgs(argv) {
  const options = { dir: undefined, also: [], reps: 7, skip2m: false, skipLatency: false, skipIndex: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--also') options.also.push(path.resolve(argv[++index]));
    else if (arg === '--reps') options.reps = Number(argv[++index]);
    else if (arg === '--skip-2m') options.skip2m = true;
    else if (arg === '--skip-latency') options.skipLatency = true;
    else if (arg === '--skip-index') options.skipIndex = true;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.dir = path.resolve(arg);
  }
  if (!Number.isInteger(options.reps) || options.reps < 1) throw new Error('--reps needs a whole number >= 1');
  return options;
}

function defaultWorkersFor(files) {
  return files > 4000 ? Math.max(1, Math.min(os.availableParallelism(), 4)) : 1;
}

function step(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function excludedText(excluded) {
  const parts = [];
  if (excluded.tests) parts.push(`${excluded.tests} test files`);
  if (excluded.generated) parts.push(`${excluded.generated} minified/generated files`);
  if (excluded.large) parts.push(`${excluded.large} files over maxFileSize`);
  return parts.length > 0 ? `left out: ${parts.join(', ')} — the engine does not analyze them` : 'nothing left out';
}

/** docs/performance.md from measured results and the hand-kept notes. */
function writePerformancePage(results) {
  const notesFile = path.join(REPO_ROOT, 'scripts', 'bench', 'notes.md');
  const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : '';
  const target = path.join(REPO_ROOT, 'docs', 'performance.md');
  fs.writeFileSync(target, markdown(results, summaryRows(results), notes));
  console.log(`\nWrote ${path.relative(process.cwd(), target)}`);
}

async function main() {
  if (process.argv.includes('--report-only')) {
    // Re-renders the page from the last run's results (after editing scripts/bench/notes.md), measuring nothing.
    if (!fs.existsSync(LAST_RESULTS)) throw new Error(`no results yet at ${LAST_RESULTS}: run \`npm run bench\` first`);
    writePerformancePage(JSON.parse(fs.readFileSync(LAST_RESULTS, 'utf8')));
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CLI) || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'server.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
  const loadStart = os.loadavg()[0].toFixed(2);
  const { engine, ts } = await loadEngine(REPO_ROOT);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-bench-'));
  try {
    // The corpus: a given directory as it is, or the default one built offline into scratch.
    let corpusDir = options.dir;
    let sources;
    let description;
    if (corpusDir) {
      description = `\`${corpusDir}\` (walked as the CLI walks: node_modules, dist, build, out… skipped)`;
    } else {
      corpusDir = path.join(scratch, 'default');
      step('building the default corpus');
      sources = buildDefaultCorpus(REPO_ROOT, engine, corpusDir);
      description = 'Default corpus: this project\'s sources and examples plus the real sources of server-side packages in node_modules, copied to a temporary directory';
    }
    const corpus = readCorpus(walkSources(corpusDir), engine, corpusDir);
    if (corpus.entries.length === 0) throw new Error(`no analyzable files under ${corpusDir}`);
    const lines = corpusLines(corpus.entries);
    step(`corpus: ${corpus.entries.length} files, ${lines} lines`);

    step('throughput (in process)');
    const throughput = measureThroughput(engine, corpus.entries, { repetitions: options.reps });

    step('cost per rule (in process)');
    const ruleCosts = measureRuleCosts(engine, corpus.entries, { repetitions: Math.min(options.reps, 3) });

    const extraCorpora = [];
    for (const dir of options.also) {
      const extra = readCorpus(walkSources(dir), engine, dir);
      if (extra.entries.length === 0) continue;
      step(`throughput on ${dir}`);
      extraCorpora.push({ label: path.basename(dir), files: extra.entries.length, lines: corpusLines(extra.entries), throughput: measureThroughput(engine, extra.entries, { repetitions: Math.min(options.reps, 5) }) });
    }

    step('CLI end to end');
    const cli = { ...(await measureCli(CLI, corpusDir)), defaultWorkers: defaultWorkersFor(corpus.entries.length) };

    let latency;
    if (!options.skipLatency) {
      step('editor latency through dist/server.js');
      latency = await measureLatency(REPO_ROOT);
      // The engine's CPU time on the same files, in this process: what the latency is made of, free of machine load.
      for (const entry of latency) entry.engineCpu = measureAnalysisCpu(engine, path.join(scratch, `router-${entry.size}.ts`), generateRouterFile(entry.size));
    }

    let index;
    if (!options.skipIndex) {
      step('workspace index through dist/server.js');
      index = await measureIndex(REPO_ROOT, corpus.entries, scratch, { onSize: (files) => step(`workspace index, ${files} files`) });
    }

    let twoMillion;
    if (!options.skip2m) {
      step(`building a ~${TWO_MILLION} line corpus`);
      const bigDir = path.join(scratch, 'two-million');
      const written = replicateToLines(corpus.entries, bigDir, TWO_MILLION);
      step(`CLI on ${written.files} files, ${written.lines} lines`);
      twoMillion = { ...(await measureCli(CLI, bigDir, { repetitions: 1 })), defaultWorkers: defaultWorkersFor(written.files) };
    }

    const cpus = os.cpus();
    const results = {
      machine: {
        date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        cpus: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? 'unknown',
        parallelism: os.availableParallelism(),
        memoryGb: (os.totalmem() / 2 ** 30).toFixed(1),
        node: process.version,
        typescript: ts.version,
        loadStart,
        loadEnd: os.loadavg()[0].toFixed(2),
      },
      rules: engine.ALL_RULES.map((rule) => rule.meta.id),
      corpus: { description, sources, files: corpus.entries.length, lines, excludedText: excludedText(corpus.excluded) },
      throughput,
      ruleCosts,
      extraCorpora,
      cli,
      latency,
      index,
      twoMillion,
    };
    const rows = summaryRows(results);
    console.log(`\nFailpath bench — ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, TypeScript ${results.machine.typescript}, load ${loadStart}→${results.machine.loadEnd}`);
    console.log(`Rules enabled: ${results.rules.join(', ')}\n`);
    printTable(rows);
    fs.mkdirSync(path.dirname(LAST_RESULTS), { recursive: true });
    fs.writeFileSync(LAST_RESULTS, JSON.stringify(results));
    writePerformancePage(results);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
