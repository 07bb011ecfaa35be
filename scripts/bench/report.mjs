// The table printed to the terminal and the docs/performance.md written from the same numbers.
import { formatCount, formatMs } from './stats.mjs';

export const BUDGET = { ratio: 1.3, p95At5k: 30, p95At20k: 100, twoMillionLinesMs: 10_000, indexRssMb: 300, indexRssAtFiles: 10_000 };

function verdict(ok) {
  return ok === undefined ? 'n/a' : ok ? 'within budget' : 'MISSED';
}

/** Rows of [measurement, value, budget, verdict]. */
export function summaryRows(results) {
  const rows = [];
  const { throughput, cli, latency, index, twoMillion } = results;
  if (throughput) {
    rows.push(['Parse only (createSourceFile), median', `${formatMs(throughput.parseMs)} for ${formatCount(results.corpus.lines)} lines`, '', '']);
    rows.push(['Engine, no rules (parse + bindings + traversal)', `${formatMs(throughput.bareMs)} (${throughput.bareRatio.toFixed(2)}×)`, '', '']);
    rows.push(['Analysis, every registered rule on', `${formatMs(throughput.analysisMs)} (${throughput.ratio.toFixed(2)}× parse; CPU time ${throughput.cpuRatio.toFixed(2)}×)`, `≤ ${BUDGET.ratio}×`, verdict(throughput.ratio <= BUDGET.ratio)]);
  }
  for (const extra of results.extraCorpora ?? []) {
    rows.push([`Analysis/parse on ${extra.label} (${formatCount(extra.files)} files, ${formatCount(extra.lines)} lines)`, `${extra.throughput.ratio.toFixed(2)}× (parse ${formatMs(extra.throughput.parseMs)}, analysis ${formatMs(extra.throughput.analysisMs)})`, `≤ ${BUDGET.ratio}×`, verdict(extra.throughput.ratio <= BUDGET.ratio)]);
  }
  if (cli) rows.push(...cliRows('CLI end to end', cli));
  for (const entry of latency ?? []) {
    const budget = entry.size === 5000 ? BUDGET.p95At5k : entry.size === 20000 ? BUDGET.p95At20k : undefined;
    rows.push([
      `Edit → diagnostics, ${formatCount(entry.lines)}-line file (${entry.edits} edits)`,
      `p50 ${formatMs(entry.p50)}, p95 ${formatMs(entry.p95)}, max ${formatMs(entry.max)}${entry.engineCpu ? `; engine CPU per analysis p50 ${formatMs(entry.engineCpu.p50)}, p95 ${formatMs(entry.engineCpu.p95)}` : ''}`,
      budget === undefined ? '' : `p95 ≤ ${budget} ms`,
      budget === undefined ? '' : verdict(entry.p95 <= budget),
    ]);
  }
  if (twoMillion) {
    rows.push(...cliRows('CLI on the ~2M-line corpus', twoMillion));
    rows.push(['2M lines, default workers', formatMs(twoMillion.defaultWorkersMs), `well under ${BUDGET.twoMillionLinesMs / 1000} s`, verdict(twoMillion.defaultWorkersMs < BUDGET.twoMillionLinesMs)]);
  }
  if (index) rows.push(...index.map(indexRow));
  else rows.push(['Workspace index: cold index time, server RSS', 'not measured in this run (--skip-index)', `≤ ${BUDGET.indexRssMb} MB for ${formatCount(BUDGET.indexRssAtFiles)} files`, 'n/a']);
  return rows;
}

/** One workspace size: the verdict is on the peak RSS, the most the server held at any time. */
function indexRow(entry) {
  const mb = (value) => (value === undefined || Number.isNaN(value) ? 'n/a' : `${Math.round(value)} MB`);
  const partial = entry.indexedFiles < entry.files ? `; ONLY ${formatCount(entry.indexedFiles)} OF ${formatCount(entry.files)} FILES INDEXED` : '';
  const budgeted = entry.files === BUDGET.indexRssAtFiles;
  const verdictText = entry.indexedFiles < entry.files ? 'not all files indexed' : verdict(entry.peakRssMb === undefined ? undefined : entry.peakRssMb <= BUDGET.indexRssMb);
  return [
    `Workspace index, ${formatCount(entry.files)} files (${formatCount(entry.lines)} lines): cold index time, server RSS`,
    `indexed ${formatCount(entry.indexedFiles)} files in ${formatMs(entry.indexMs)} (${formatMs(entry.wallMs)} from initialize); RSS ${mb(entry.rssMb)} indexed, ${mb(entry.rssAfterOpenMb)} with a file open and analyzed, peak ${mb(entry.peakRssMb)}; heap ${mb(entry.heapMb)}${partial}`,
    budgeted ? `RSS ≤ ${BUDGET.indexRssMb} MB` : '',
    budgeted ? verdictText : '',
  ];
}

function cliRows(label, cli) {
  const rate = (ms) => `${formatMs(ms)}: ${formatCount(cli.files / (ms / 1000))} files/s, ${formatCount(cli.lines / (ms / 1000))} lines/s`;
  return [
    [`${label}, --workers 1 (${formatCount(cli.files)} files, ${formatCount(cli.lines)} lines)`, rate(cli.oneWorkerMs), '', ''],
    [`${label}, default workers (${cli.defaultWorkers})`, `${rate(cli.defaultWorkersMs)}; ${(cli.oneWorkerMs / cli.defaultWorkersMs).toFixed(2)}× faster`, 'uses both cores', cli.sameOutput ? 'same report as 1 worker' : 'REPORTS DIFFER'],
  ];
}

export function printTable(rows) {
  const header = ['Measurement', 'Result', 'Budget', 'Verdict'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

export function markdown(results, rows, notes) {
  const { machine, corpus, index } = results;
  const escape = (cell) => cell.replace(/\|/g, '\\|');
  const table = [
    '| Measurement | Result | Budget | Verdict |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
  const sources = corpus.sources
    ? corpus.sources.map((source) => `| ${source.label} | \`${source.relative}\` | ${formatCount(source.files)} | ${formatCount(source.lines)} |`).join('\n')
    : '';
  return `# Performance

Written by \`npm run bench\` (scripts/bench.mjs) on ${machine.date}. Re-run it to refresh this page; the notes at
the end come from \`scripts/bench/notes.md\`.

## Machine

| | |
| --- | --- |
| CPUs | ${machine.cpus} × ${machine.cpuModel} (availableParallelism ${machine.parallelism}) |
| Memory | ${machine.memoryGb} GB |
| Node | ${machine.node} |
| TypeScript | ${machine.typescript} |
| Load average (1 min) at start / end | ${machine.loadStart} / ${machine.loadEnd} |
| Rules enabled (${results.rules.length}) | ${results.rules.map((id) => `\`${id}\``).join(', ')} |

A load average above the CPU count means other processes shared the machine during the run; every measurement
is a median (or percentile) of interleaved repetitions to dampen that, but absolute times are then pessimistic.

## Results

${table}

${results.ruleCosts ? `## Cost per rule

CPU time one rule adds to the analysis of the corpus on its own (analysis with only that rule minus analysis with
no rule, ${formatMs(results.ruleCosts.bareCpuMs)}; median of ${results.ruleCosts.repetitions} interleaved rounds). Rules share per-file work such as
boundaries and call classification, so these add up to more than the cost of every rule together.

| Rule | CPU ms | × parse |
| --- | --- | --- |
${results.ruleCosts.rules.map((rule) => `| \`${rule.id}\` | ${formatMs(rule.cpuMs)} | ${results.throughput ? (rule.cpuMs / results.throughput.parseMs).toFixed(2) : '-'} |`).join('\n')}

` : ''}## Corpus

${corpus.description}: ${formatCount(corpus.files)} files, ${formatCount(corpus.lines)} lines (${corpus.excludedText}).
${sources ? `\n| Part | Source | Files | Lines |\n| --- | --- | --- | --- |\n${sources}\n` : ''}
Throughput is measured in one process: parse-only is \`ts.createSourceFile(name, text, Latest, true, kind)\` (the
engine's own parse call, same \`typescript\` module); analysis is the CLI's per-file work (\`processFile\`) with
default settings and every registered rule; "engine, no rules" is \`analyze\` with an empty rule list. ${results.throughput ? `${results.throughput.warmups} warm-up rounds, then the median of ${results.throughput.repetitions} interleaved rounds.` : ''}
The CLI rows spawn \`node dist/cli.js <dir> --format json\` (start-up included), medians of ${results.cli?.repetitions ?? '-'} runs each.
Editor latency: \`dist/server.js --stdio\` with \`FAILPATH_DEBOUNCE_MS=0\`; a generated Express router (axios, fetch,
pg, ioredis, Stripe handlers) is opened, then one-number incremental edits are sent one at a time, each timed from
sending \`didChange\` to receiving \`publishDiagnostics\` for that version (first 5 edits are warm-up).
Workspace index: for each size a workspace of that many files is written (the corpus files copied into
\`copy-0/\`, \`copy-1/\`…, with a package.json and a tsconfig.json at the root), and a fresh \`dist/server.js --stdio\`
is initialized with it as the workspace folder. The index time is the server's own log line \`Failpath: indexed N
files in X ms (heap H MB)\` (listing the files is before X, in the time from initialize); RSS is the server process's
\`VmRSS\` from /proc once that line arrives and again after ${index ? `\`${index[0].opened.file}\` (${formatCount(index[0].opened.lines)} lines, the corpus's longest file)` : 'the corpus\'s longest file'} was
opened and its diagnostics arrived; peak is \`VmHWM\`. A server that stops short of N files (a cap, files it
skips) shows as "ONLY k OF N FILES INDEXED". Times depend on machine load; RSS hardly does.

## Reproduce

\`\`\`sh
npm run bench                                   # default corpus, editor latency, ~2M-line CLI run
npm run bench -- /path/to/project               # throughput and CLI rows on any directory
npm run bench -- --also /path/a --also /path/b  # extra analysis/parse rows for other directories
npm run bench -- --skip-2m --reps 5             # quicker
npm run bench -- --report-only                  # rewrite this page from the last run (after editing scripts/bench/notes.md)
npm run bench -- --skip-index                   # without the workspace-index rows (about a minute less)
node scripts/bench/index.mjs 10000              # the workspace-index step alone, any sizes (after npm run build)
node --cpu-prof dist/cli.js <dir> --workers 1   # profile; open the .cpuprofile in Chrome DevTools
\`\`\`

${notes}`;
}
