import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as ts from 'typescript';
import { ALL_RULES, analyze, defaultSettings, fixAll } from '../../server/src/engine';
import { parseFile } from '../../server/src/engine/parse';
import { allFixtures, brokenSourceArb, deeplyNested, minifiedBundle, ruleTableCases, type NestingKind, type SourceCase } from '../helpers/generators';
import { checkInvariants, report } from './invariants';

/**
 * Properties of the engine with every registered rule, over every rule test fixture and over generated input
 * that breaks those fixtures. `FAILPATH_FC_RUNS` raises the number of generated cases (default keeps the
 * suite fast on two cores); `FAILPATH_FC_SEED` replays a failure that fast-check printed. Under CI (`CI` set) the
 * seed is fixed so that a submission's result does not depend on luck; run locally (random seeds) to explore.
 */

const GENERATED_RUNS = Number(process.env.FAILPATH_FC_RUNS ?? 250);
const CI_SEED = 20261124;
const SEED = process.env.FAILPATH_FC_SEED !== undefined ? Number(process.env.FAILPATH_FC_SEED)
  : process.env.CI ? CI_SEED : undefined;

describe('engine invariants over every rule test fixture and real file', () => {
  it('collects the fixtures from the rule test tables', (t) => {
    const { cases, unresolved } = ruleTableCases();
    t.diagnostic(`${cases.length} code strings from rule tables (${unresolved} left out: dynamic templates), ${allFixtures().length} fixtures in all`);
    assert.ok(cases.length >= 300, `only ${cases.length} fixtures found in test/rules`);
  });

  it('never throws, keeps ranges and edits inside the document, and fixes parse, import once and are idempotent', (t) => {
    const failures: { origin: string; violations: string[] }[] = [];
    let fixed = 0;
    for (const fixture of allFixtures()) {
      const outcome = checkInvariants(fixture);
      if (outcome.fixed) fixed++;
      if (outcome.violations.length > 0) failures.push({ origin: fixture.origin, violations: outcome.violations });
    }
    t.diagnostic(`${allFixtures().length} fixtures checked, ${fixed} fixed with fix-all`);
    assert.deepEqual(failures, [], report(failures));
  });
});

describe('engine invariants over generated input', () => {
  // Cases fast-check found before fixes on code with syntax errors were held back (see docs/robustness.md).
  const found: SourceCase[] = [
    { origin: 'missing-timeout in an unterminated string: fix-all added a timeout per pass', fileName: 'file.ts', text: "import axios from 'axios';\nexport const slow = () => axios({ url: 'https://re" },
    { origin: 'unhandled-external-failure wrapping a truncated call', fileName: 'file.ts', text: "import { Pool } from 'pg';\nimport pino from 'pino';\nconst logger = pino();\nconst pool = new Pool();\nsetInterval(async () => {\n  try {\n    await pool.query(" },
    { origin: 'swallowed-error on a half-typed catch (er at the end of the file: range past the end', fileName: 'file.ts', text: "import { get } from 'axios';\nexport async function f() {\n  try {\n    await get('https://x.example.com');\n  } catch (er" },
    { origin: 'missing-graceful-shutdown after an unclosed listen(', fileName: 'file.ts', text: "import express from 'express';\nconst server = { name: 'api' };\nfunction shutdown() { return server.name; }\nconst app = express();\napp.listen(" },
    { origin: 'swallowed-error on a file cut off after `} catch `: two insertions at one point (error in trailing trivia)', fileName: 'file.ts', text: "import { logger } from './lib/logger';\nexport async function redeemInvite(store: InviteStore, token: string): Promise<boolean> {\n  try {\n    await store.assertUnused(token);\n    await store.markUsed(token);\n    return true;\n  } catch " },
  ];
  for (const testCase of found) {
    it(`regression: ${testCase.origin}`, () => {
      const { violations } = checkInvariants(testCase);
      assert.deepEqual(violations, []);
    });
  }

  it(`holds for ${GENERATED_RUNS} broken files: truncations, bracket mutations, BOM/CRLF/Unicode, JSX in .js, random bytes`, () => {
    const fixtures = allFixtures();
    fc.assert(
      fc.property(brokenSourceArb(fixtures), (testCase: SourceCase) => {
        const { violations } = checkInvariants(testCase);
        if (violations.length > 0) throw new Error(`${testCase.origin} (${testCase.fileName}):\n${violations.join('\n')}\n--- input ---\n${testCase.text}`);
      }),
      { numRuns: GENERATED_RUNS, seed: SEED },
    );
  });
});

describe('pathological files', () => {
  const kinds: NestingKind[] = ['parentheses', 'arrays', 'objects', 'calls', 'arrows', 'blocks', 'binary', 'ternaries', 'unclosed'];
  kinds.forEach((kind, index) => {
    // Alternately as TypeScript and as JavaScript (parsed as JSX), the two parser modes.
    const fileName = index % 2 === 0 ? 'deep.ts' : 'deep.js';
    it(`50,000 levels of ${kind} in ${fileName}: a result or a skip with a reason, never a throw or a rule failure`, () => {
      const text = deeplyNested(kind, 50_000);
      const result = analyze(fileName, text, { includeGenerated: true });
      assert.deepEqual(result.ruleErrors.map((error) => error.ruleId), [], `rules failed on ${kind}: ${result.ruleErrors.map((error) => error.message).join('; ')}`);
      if (result.skipped !== undefined) assert.match(result.skipped, /nesting too deep|longer than/);
      assert.doesNotThrow(() => fixAll(fileName, text, { includeGenerated: true }));
    });
  });

  it('a 5 MB minified bundle is skipped by size, and as minified when the size limit is raised', () => {
    const bundle = minifiedBundle(5_000_000);
    assert.ok(bundle.length >= 5_000_000);
    const started = performance.now();
    assert.match(analyze('dist/bundle.js', bundle).skipped ?? '', /maxFileSize/);
    const settings = { ...defaultSettings(), maxFileSize: 10_000_000 };
    assert.match(analyze('dist/bundle.js', bundle, { settings }).skipped ?? '', /minified/);
    assert.ok(performance.now() - started < 1000, 'skipping reads no more than a prefix');
  });

  it('a minified bundle analyzed on request takes the parse plus the time budget, no more', () => {
    const bundle = minifiedBundle(1_000_000);
    const settings = { ...defaultSettings(), maxFileSize: 10_000_000 };
    let started = performance.now();
    parseFile('dist/bundle.js', bundle);
    const parseMs = performance.now() - started;
    const budget = 1000;
    started = performance.now();
    const forced = analyze('dist/bundle.js', bundle, { settings, includeGenerated: true, timeBudgetMs: budget });
    const elapsed = performance.now() - started;
    assert.deepEqual(forced.ruleErrors, []);
    // Parsing cannot be interrupted; the shared traversal and the rules are inside the budget.
    assert.ok(elapsed < parseMs * 2 + budget + 1500, `took ${Math.round(elapsed)} ms (parse alone ${Math.round(parseMs)} ms)`);
    if (forced.skipped !== undefined) assert.match(forced.skipped, /longer than 1000 ms/);
  });

  it('a file whose analysis exceeds the time budget is reported as skipped, with no findings', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `export async function f${i}(u: string) { return fetch(u); }`).join('\n');
    assert.ok(analyze('many.ts', text).findings.length > 0, 'the file has findings when there is time');
    const result = analyze('many.ts', text, { timeBudgetMs: 0 });
    assert.match(result.skipped ?? '', /longer than 0 ms/);
    assert.deepEqual(result.findings, []);
  });

  it('a rule that is slow on every node is stopped by the budget, not left to run', () => {
    const slow = {
      meta: { ...ALL_RULES[0].meta, id: 'test-slow-rule', messages: { slow: 'slow' } },
      create: () => ({
        kinds: {
          [ts.SyntaxKind.Identifier]: () => { const until = performance.now() + 0.05; while (performance.now() < until) { /* busy */ } },
        },
      }),
    };
    const text = Array.from({ length: 4000 }, (_, i) => `const v${i} = a${i} + b${i};`).join('\n');
    const started = performance.now();
    const result = analyze('slow.ts', text, { rules: [...ALL_RULES, slow], timeBudgetMs: 200 });
    assert.match(result.skipped ?? '', /longer than 200 ms/);
    assert.ok(performance.now() - started < 2000, `took ${Math.round(performance.now() - started)} ms`);
  });
});
