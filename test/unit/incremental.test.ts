import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze, type AnalysisResult } from '../../server/src/engine';
import { parseFile, reparseFile } from '../../server/src/engine/parse';
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
