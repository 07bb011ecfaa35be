// In-process throughput: the CLI's per-file work (processFile, every registered rule on) against parse-only with
// the same `typescript` and the same createSourceFile arguments, on the same texts, in one process.
import { performance } from 'node:perf_hooks';
import { median } from './stats.mjs';

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

function time(fn) {
  const started = performance.now();
  const result = fn();
  return { ms: performance.now() - started, result };
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
  }
  const parseMs = median(parse);
  const analysisMs = median(analysis);
  const bareMs = median(bare);
  return { parseMs, analysisMs, bareMs, ratio: analysisMs / parseMs, bareRatio: bareMs / parseMs, findings, repetitions, warmups, samples: { parse, analysis, bare } };
}
