import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import * as ts from 'typescript';

/**
 * scripts/esbuild-typescript.mjs rewrites `typescript` lookups in the bundles; what it writes must mean the same.
 * It is an ES module (the build scripts are), so it runs in a child process here.
 */
function rewrite(source: string): string {
  const plugin = pathToFileURL(path.join(__dirname, '..', '..', '..', 'scripts', 'esbuild-typescript.mjs')).href;
  const program = `import { withoutTypescriptLookups } from ${JSON.stringify(plugin)};
import ts from 'typescript';
process.stdout.write(withoutTypescriptLookups(process.env.FAILPATH_PLUGIN_SOURCE, ts) ?? '(unchanged)');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    cwd: path.join(__dirname, '..', '..', '..'), env: { ...process.env, FAILPATH_PLUGIN_SOURCE: source }, encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const SOURCE = `import * as ts from 'typescript';
const visitor = { kinds: { [ts.SyntaxKind.CallExpression]: onCall, [ ts.SyntaxKind.CatchClause ] : onCatch } };
const picked = ready ? table[ts.SyntaxKind.Identifier] : fallback;
const isName = ts.isIdentifier(node) && node.kind === ts.SyntaxKind.Identifier;
`;

describe('the bundle plugin for typescript lookups', () => {
  it('writes kind keys and kinds as numbers, leaves element accesses before a conditional colon alone', () => {
    const rewritten = rewrite(SOURCE);
    assert.match(rewritten, new RegExp(`\\{ kinds: \\{ ${ts.SyntaxKind.CallExpression} /\\* CallExpression \\*/: onCall, ${ts.SyntaxKind.CatchClause} /\\* CatchClause \\*/: onCatch \\} \\}`));
    assert.match(rewritten, new RegExp(`ready \\? table\\[${ts.SyntaxKind.Identifier} /\\* Identifier \\*/\\] : fallback`));
    assert.match(rewritten, /const isName = __ts_isIdentifier\(node\)/);
    assert.match(rewritten, /^import ts = require\('typescript'\); const __ts_isIdentifier = ts\.isIdentifier;/m);
  });
});
