import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze, type AnalysisResult } from '../../server/src/engine';
import { SyntaxKind, type SourceFile } from 'typescript';
import { parseFile, reparseFile } from '../../server/src/engine/parse';
import { incrementalCounts, textChange } from '../../server/src/engine/incremental';
import { allFixtures } from '../helpers/generators';
import { optionsFor } from '../robustness/invariants';

/**
 * The server analyzes each edited version on its previous tree updated incrementally (`ts.updateSourceFile`
 * reuses unchanged nodes). Findings must be exactly those of a fresh parse of the same text, after any chain
 * of edits: typing, deleting, breaking and repairing the syntax, editing imports.
 */

const INSERTIONS = ['x', ' ', '\n', '(', ')', '{', '}', "'", '`', ';', 'await ', '// ', '/* ', '*/', 'import pino from \'pino\';\n', 'try {', '} catch {}', '0'];

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const choice = next();
  if (choice < 0.45) return text.slice(0, at) + INSERTIONS[Math.floor(next() * INSERTIONS.length)] + text.slice(at);
  if (choice < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 12));
  // Undo-like: put back a span cut from elsewhere (moves code around, reuses the most nodes).
  const from = Math.floor(next() * text.length);
  return text.slice(0, at) + text.slice(from, from + 30) + text.slice(at);
}

function comparable(result: AnalysisResult): string {
  return JSON.stringify({ findings: result.findings, skipped: result.skipped, ruleErrors: result.ruleErrors.map((error) => [error.ruleId, error.message]) });
}

describe('analysis of an incrementally updated tree', () => {
  it('equals the analysis of a fresh parse after every edit of every fixture', () => {
    const next = random(20261124);
    const mismatches: string[] = [];
    let analyses = 0;
    let reused = 0;
    for (const fixture of allFixtures()) {
      const options = optionsFor(fixture);
      let text = fixture.text;
      let tree = parseFile(fixture.fileName, text);
      for (let step = 0; step < 6; step++) {
        text = edit(text, next);
        const before = tree;
        tree = reparseFile(tree, text);
        if (tree.statements.some((statement) => before.statements.includes(statement))) reused++;
        const incremental = analyze(fixture.fileName, text, { ...options, sourceFile: tree });
        const fresh = analyze(fixture.fileName, text, options);
        analyses++;
        if (comparable(incremental) !== comparable(fresh)) {
          mismatches.push(`${fixture.origin} (${fixture.fileName}) after edit ${step + 1}:\n${text}`);
          break;
        }
      }
    }
    assert.deepEqual(mismatches.slice(0, 3), []);
    assert.ok(analyses > 1000, `only ${analyses} edits analyzed`);
    // The comparison is only worth something if unchanged statements were actually carried over.
    assert.ok(reused > analyses / 4, `only ${reused} of ${analyses} updates reused a statement`);
  });

  it('uses the given tree only when it is a tree of this text', () => {
    const text = "import axios from 'axios';\nexport const f = () => axios.get('https://x.example.com');\n";
    const stale = parseFile('file.ts', "import axios from 'axios';\n");
    const fresh = analyze('file.ts', text);
    assert.ok(fresh.findings.length > 0);
    assert.equal(comparable(analyze('file.ts', text, { sourceFile: stale })), comparable(fresh));
    assert.equal(comparable(analyze('other.ts', text, { sourceFile: parseFile('file.ts', text) })), comparable(analyze('other.ts', text)));
  });
});

/** Edits a developer makes inside a function: a new call, a log line, a try/catch, a deleted line, a changed number. */
const BODY_INSERTIONS = [
  "\nconst extra = await fetch('https://api.example.com/items');\n",
  '\nconsole.log(error);\n',
  "\ntry { await pool.query('SELECT 1'); } catch (err) {}\n",
  '\nconst limit = 25;\n',
  '\nawait Promise.all([]);\n',
  '\nfor (const item of items) { await redis.set(item.id, item); }\n',
  "\nthrow new Error('failed');\n",
  '\nreturn;\n',
];

/** Offsets just inside the braces of function bodies (where most typing happens). */
function bodyOffsets(text: string, fileName: string): number[] {
  const offsets: number[] = [];
  const visit = (node: import('typescript').Node): void => {
    const body = (node as { body?: import('typescript').Node }).body;
    if (body && body.kind === SyntaxKind.Block && typeof (node as { parameters?: unknown }).parameters !== 'undefined') {
      offsets.push(body.getStart() + 1, body.end - 1);
    }
    node.forEachChild(visit);
  };
  const tree = reparsedOrFresh(undefined, fileName, text);
  tree?.forEachChild(visit);
  return offsets;
}

function bodyEdit(text: string, fileName: string, next: () => number): string {
  const offsets = bodyOffsets(text, fileName);
  if (offsets.length === 0) return edit(text, next);
  const at = offsets[Math.floor(next() * offsets.length)];
  const choice = next();
  if (choice < 0.6) return text.slice(0, at) + BODY_INSERTIONS[Math.floor(next() * BODY_INSERTIONS.length)] + text.slice(at);
  if (choice < 0.8) {
    // Delete the line after the brace (a statement, or the closing brace itself: a syntax error).
    const lineEnd = text.indexOf('\n', at + 1);
    return lineEnd < 0 ? text : text.slice(0, at) + text.slice(lineEnd);
  }
  const digit = text.slice(at).search(/\d/);
  return digit < 0 ? text : text.slice(0, at + digit) + String(Math.floor(next() * 10)) + text.slice(at + digit + 1);
}

/**
 * As the server does: the compiler can fail an internal assertion on odd half-typed text (TypeScript 5.9 does on a
 * decorator followed by garbage, even parsing from scratch); then the engine parses, and reports the file skipped.
 */
function reparsedOrFresh(tree: SourceFile | undefined, fileName: string, text: string): SourceFile | undefined {
  try {
    return tree ? reparseFile(tree, text) : parseFile(fileName, text);
  } catch {
    try {
      return parseFile(fileName, text);
    } catch {
      return undefined;
    }
  }
}

describe('incremental analysis (findings of untouched statements kept from the previous analysis)', () => {
  it('equals a fresh analysis after every edit of every fixture, and keeps statements', () => {
    const next = random(20261125);
    const mismatches: string[] = [];
    let analyses = 0;
    let keptSome = 0;
    for (const fixture of allFixtures()) {
      const options = optionsFor(fixture);
      let text = fixture.text;
      let tree: SourceFile | undefined = parseFile(fixture.fileName, text);
      let state = analyze(fixture.fileName, text, { ...options, sourceFile: tree, incremental: true }).state;
      for (let step = 0; step < 8; step++) {
        text = next() < 0.75 ? bodyEdit(text, fixture.fileName, next) : edit(text, next);
        tree = reparsedOrFresh(tree, fixture.fileName, text);
        const keptBefore = incrementalCounts.kept;
        const incremental = analyze(fixture.fileName, text, { ...options, sourceFile: tree, incremental: true, previous: state });
        if (incrementalCounts.kept > keptBefore) keptSome++;
        state = incremental.state;
        const fresh = analyze(fixture.fileName, text, options);
        analyses++;
        if (comparable(incremental) !== comparable(fresh)) {
          mismatches.push(`${fixture.origin} (${fixture.fileName}) after edit ${step + 1}:\n${text}\n--- incremental:\n${comparable(incremental)}\n--- fresh:\n${comparable(fresh)}`);
          break;
        }
      }
    }
    assert.deepEqual(mismatches.slice(0, 2), []);
    assert.ok(analyses > 1000, `only ${analyses} edits analyzed`);
    // Worth something only if statements were actually kept across edits.
    assert.ok(keptSome > analyses / 10, `only ${keptSome} of ${analyses} analyses kept a statement`);
  });
});

describe('textChange', () => {
  /** The definition: the longest common prefix, then the longest common suffix of what is left. */
  function byCharacters(before: string, after: string): { prefix: number; oldSuffixStart: number; delta: number } {
    const limit = Math.min(before.length, after.length);
    let prefix = 0;
    while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
    return { prefix, oldSuffixStart: before.length - suffix, delta: after.length - before.length };
  }

  it('finds the same common prefix and suffix as a character-by-character scan, across chunk boundaries', () => {
    const next = random(7);
    const long = 'const value = await client.get(key);\n'.repeat(300) + 'aXa'.repeat(700);
    for (let round = 0; round < 2000; round++) {
      const before = round % 4 === 0 ? long.slice(0, Math.floor(next() * 5000)) : long;
      const at = Math.floor(next() * (before.length + 1));
      const inserted = ['', 'x', 'aXa', '\n', 'const'][Math.floor(next() * 5)];
      const after = before.slice(0, at) + inserted + before.slice(at + Math.floor(next() * 6));
      assert.deepEqual(textChange(before, after), byCharacters(before, after), `round ${round}`);
    }
    assert.deepEqual(textChange('', 'x'), byCharacters('', 'x'));
    assert.deepEqual(textChange(long, long), byCharacters(long, long));
  });
});
