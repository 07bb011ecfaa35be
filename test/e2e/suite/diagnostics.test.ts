import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, exactly, failpathDiagnostics, fileUri, open, rangeText, sleep, waitForDiagnostics } from './helpers';

describe('diagnostics on open', () => {
  before(activateExtension);

  it('shows missing-timeout warnings with rule id, range and a docs link for the sample client', async () => {
    const editor = await open('src/clients/inventory.ts');
    const uri = editor.document.uri;
    const isMissingTimeout = (d: vscode.Diagnostic): boolean => codeOf(d) === 'missing-timeout';
    await waitForDiagnostics(uri, (d) => d.filter(isMissingTimeout).length === 2, 'two missing-timeout diagnostics');
    const found = failpathDiagnostics(uri).filter(isMissingTimeout);
    // inventory.post(...) on line 6 and fetch(...) on line 11, as `failpath examples` reports them.
    assert.deepEqual(found.map((d) => rangeText(d.range)), ['6:26-6:40', '11:21-11:26']);
    assert.equal(editor.document.getText(found[0].range), 'inventory.post');
    assert.equal(editor.document.getText(found[1].range), 'fetch');
    for (const diagnostic of found) {
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(diagnostic.source, 'failpath');
      assert.ok(typeof diagnostic.code === 'object' && diagnostic.code !== null, 'the rule id links to its documentation');
      const target = diagnostic.code.target;
      assert.match(target.path, /\/docs\/rules\/missing-timeout\.md$/);
      const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      assert.match(page, /^# missing-timeout/, 'the docs link points at the rule page shipped with the extension');
    }
    assert.match(found[0].message, /axios waits forever/);
    assert.match(found[1].message, /AbortSignal\.timeout/);
  });

  it('stays silent on calls that are already bounded', async () => {
    const editor = await open('src/bounded.ts');
    // Give the server the time it needs to publish for a file that has findings.
    const control = await open('src/restart/rates.ts');
    await waitForDiagnostics(control.document.uri, exactly(1), 'the control file diagnostic');
    await sleep(500);
    assert.deepEqual(failpathDiagnostics(editor.document.uri), []);
    assert.deepEqual(failpathDiagnostics(fileUri('src/bounded.ts')), []);
  });
});
