// In-process throughput: the CLI's per-file work (processFile, every registered rule on) against parse-only with
// the same `typescript` and the same createSourceFile arguments, on the same texts, in one process.
import { performance } from 'node:perf_hooks';
import { median, percentile } from './stats.mjs';

function parseAll(engine, entries) {
  let nodes = 0;
  for (const entry of entries) nodes += engine.parseFile(entry.path, entry.text).statements.length;
  return nodes;
}

function analyzeAll(engine, entries, settings, rules) {
  let findings = 0;
  for (const entry of entries) {
    const task = { filePath: entry.path, text: entry.text, settings, project: engine.EMPTY_PROJECT, explicit: true, fix: false };
    const outcome = rules ? { findings: engine.analyze(entry.path, entry.text, { settings, includeGenerated: true, rules }).findings } : engine.processFile(task);
    findings += outcome.findings.length;
    if (outcome.skipped) throw new Error(`benchmark corpus file was skipped by the engine: ${entry.path}: ${outcome.skipped}`);
  }
  return findings;
}

/** Wall-clock and CPU time (user + system of this process) of one call. */
function time(fn) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

/**
 * Medians over `repetitions` interleaved rounds (parse, analysis, engine without rules) after `warmups` rounds,
 * so that JIT warm-up and drifting machine load hit all three alike.
 */
export function measureThroughput(engine, entries, { repetitions = 7, warmups = 2 } = {}) {
  const settings = engine.defaultSettings();
  const parse = [];
  const analysis = [];
  const bare = [];
  const cpuRatios = [];
  let findings = 0;
  for (let round = 0; round < warmups + repetitions; round++) {
    const p = time(() => parseAll(engine, entries));
    const a = time(() => analyzeAll(engine, entries, settings));
    const b = time(() => analyzeAll(engine, entries, settings, []));
    findings = a.result;
    if (round < warmups) continue;
    parse.push(p.ms);
    analysis.push(a.ms);
    bare.push(b.ms);
    cpuRatios.push(a.cpuMs / p.cpuMs);
  }
  const parseMs = median(parse);
  const analysisMs = median(analysis);
  const bareMs = median(bare);
  return { parseMs, analysisMs, bareMs, ratio: analysisMs / parseMs, cpuRatio: median(cpuRatios), bareRatio: bareMs / parseMs, findings, repetitions, warmups, samples: { parse, analysis, bare } };
}

/** CPU time of one analysis of `text` (median and p95 of `repetitions`), the engine's share of an edit's latency. */
export function measureAnalysisCpu(engine, fileName, text, { repetitions = 30 } = {}) {
  const settings = engine.defaultSettings();
  const samples = [];
  for (let round = 0; round < repetitions + 3; round++) {
    const { cpuMs } = time(() => engine.analyze(fileName, text, { settings }));
    if (round >= 3) samples.push(cpuMs);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/**
 * CPU time each rule adds on its own: analysis with only that rule minus analysis with none, medians of
 * interleaved rounds. Rules share per-file work (boundaries, classifications), so the sum exceeds the cost of all.
 */
export function measureRuleCosts(engine, entries, { repetitions = 3 } = {}) {
  const settings = engine.defaultSettings();
  const bare = [];
  const perRule = new Map(engine.ALL_RULES.map((rule) => [rule.meta.id, []]));
  analyzeAll(engine, entries, settings, engine.ALL_RULES);
  for (let round = 0; round < repetitions; round++) {
    for (const rule of engine.ALL_RULES) {
      const base = time(() => analyzeAll(engine, entries, settings, [])).cpuMs;
      bare.push(base);
      perRule.get(rule.meta.id).push(time(() => analyzeAll(engine, entries, settings, [rule])).cpuMs - base);
    }
  }
  return { bareCpuMs: median(bare), rules: [...perRule].map(([id, samples]) => ({ id, cpuMs: median(samples) })).sort((a, b) => b.cpuMs - a.cpuMs), repetitions };
}
