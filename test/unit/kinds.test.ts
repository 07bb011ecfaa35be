import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as ts from 'typescript';
import * as kinds from '../../server/src/engine/kinds';
import { skipOuter } from '../../server/src/engine/bindings';
import { isFunctionLike } from '../../server/src/engine/external';

const SOURCE = `
import x, { y } from 'm';
const a = (await (b as any)!) satisfies T;
const c = <U>d;
const e = require('e').f['g'](\`h\`, 'i', new J(), { k: 1 }, this.l);
function m() { return typeof window; }
class N { o() {} p = () => function () {}; }
`;

function allNodes(sourceFile: ts.SourceFile): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return nodes;
}

describe('engine/kinds', () => {
  const sourceFile = ts.createSourceFile('a.ts', SOURCE, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const nodes = allNodes(sourceFile);

  it('answers every node test as the ts.isX of the same name does', () => {
    const pairs: [string, (node: ts.Node) => boolean, (node: ts.Node) => boolean][] = [
      ['isIdentifier', kinds.isIdentifier, ts.isIdentifier],
      ['isPropertyAccessExpression', kinds.isPropertyAccessExpression, ts.isPropertyAccessExpression],
      ['isElementAccessExpression', kinds.isElementAccessExpression, ts.isElementAccessExpression],
      ['isCallExpression', kinds.isCallExpression, ts.isCallExpression],
      ['isNewExpression', kinds.isNewExpression, ts.isNewExpression],
      ['isStringLiteralLike', kinds.isStringLiteralLike, ts.isStringLiteralLike],
      ['isObjectLiteralExpression', kinds.isObjectLiteralExpression, ts.isObjectLiteralExpression],
    ];
    for (const [name, ours, theirs] of pairs) {
      for (const node of nodes) assert.equal(ours(node), theirs(node), `${name} on ${ts.SyntaxKind[node.kind]}`);
    }
    for (const node of nodes) {
      const expected = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node);
      assert.equal(isFunctionLike(node), expected, `isFunctionLike on ${ts.SyntaxKind[node.kind]}`);
    }
  });

  it('skipOuter strips parentheses, await, as, !, satisfies and <T> assertions', () => {
    const stripped = nodes.filter(ts.isExpression).map((node) => ts.SyntaxKind[skipOuter(node).kind]);
    for (const kind of ['ParenthesizedExpression', 'AwaitExpression', 'AsExpression', 'NonNullExpression', 'SatisfiesExpression', 'TypeAssertionExpression']) {
      assert.ok(!stripped.includes(kind), `${kind} left by skipOuter`);
    }
    const initializers = nodes.filter(ts.isVariableDeclaration).map((declaration) => declaration.initializer && skipOuter(declaration.initializer));
    assert.deepEqual(initializers.map((init) => init && ts.SyntaxKind[init.kind]), ['Identifier', 'Identifier', 'CallExpression']);
  });
});
