import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, applyAction, codeOf, describe as describeDiagnostics, failpathDiagnostics, open, quickFixTitled, rangeText, waitForDiagnostics } from './helpers';

interface QuickFixCase {
  rule: string;
  file: string;
  /** The source text the finding points at (the callee). */
  at: string;
  fixTitle: RegExp;
  /** The line holding the call, after the fix. */
  fixedLine: string;
}

/** One row per rule fix the extension offers; adding a rule's fix = adding a row (and a sample file). */
const CASES: QuickFixCase[] = [
  {
    rule: 'missing-timeout',
    file: 'src/fix/shipping.ts',
    at: 'fetch',
    fixTitle: /^Add `signal` \(10000 ms\)/,
    fixedLine: '  const res = await fetch(`https://shipping.example.com/quotes?postcode=${encodeURIComponent(postcode)}`, { signal: AbortSignal.timeout(10000) });',
  },
  {
    rule: 'missing-timeout',
    file: 'src/fix/warehouse.ts',
    at: 'axios.post',
    fixTitle: /^Add `timeout` \(10000 ms\)/,
    fixedLine: "  const { data } = await axios.post('https://warehouse.example.com/shipments', { orderId, items }, { timeout: 10000 });",
  },
];

describe('quick fixes', () => {
  before(activateExtension);

  for (const c of CASES) {
    it(`${c.rule}: "${c.fixTitle.source}" fixes ${c.file} and the diagnostic goes away`, async () => {
      const editor = await open(c.file);
      const uri = editor.document.uri;
      const [diagnostic] = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === c.rule), `a ${c.rule} diagnostic`);
      assert.equal(editor.document.getText(diagnostic.range), c.at);
      const line = diagnostic.range.start.line;
      const before = editor.document.getText();

      await applyAction(await quickFixTitled(uri, diagnostic.range, c.fixTitle));

      assert.equal(editor.document.lineAt(line).text, c.fixedLine);
      const otherLinesBefore = before.split('\n').filter((_, i) => i !== line);
      const otherLinesAfter = editor.document.getText().split('\n').filter((_, i) => i !== line);
      assert.deepEqual(otherLinesAfter, otherLinesBefore, 'the fix changes only the call');
      await waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === c.rule), `no ${c.rule} diagnostic after the fix`);
    });
  }

  it('"Ignore for this line" inserts the comment above the finding and the diagnostic goes away', async () => {
    const editor = await open('src/ignore/webhook.ts');
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'one diagnostic');
    assert.equal(rangeText(diagnostic.range), '3:11-3:16');

    await applyAction(await quickFixTitled(uri, diagnostic.range, 'Ignore missing-timeout for this line'));

    assert.equal(editor.document.lineAt(2).text, '    // failpath-ignore-next-line missing-timeout -- reason');
    assert.match(editor.document.lineAt(3).text, /^    await fetch\('https:\/\/hooks\.example\.com\/forward'/);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostic after the ignore comment');
    assert.deepEqual(failpathDiagnostics(uri), [], describeDiagnostics(failpathDiagnostics(uri)));
  });
});
