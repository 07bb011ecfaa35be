import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, exactly, failpathDiagnostics, open, readFromDisk, waitForDiagnostics, withSetting } from './helpers';

describe('fix all on save', () => {
  before(activateExtension);

  it('editor.codeActionsOnSave { "source.fixAll.failpath": "explicit" } fixes the whole file when it is saved', async () => {
    const restore = await withSetting('editor', 'codeActionsOnSave', { 'source.fixAll.failpath': 'explicit' });
    try {
      const editor = await open('src/fixall/gateway.ts');
      const uri = editor.document.uri;
      await waitForDiagnostics(uri, exactly(3), 'three missing-timeout diagnostics');
      assert.equal(await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// saved by the e2e suite\n')), true);
      // Save once the edit has been analyzed. Saving at once passed 3 runs of 4 on a clean CI clone; the 4th saved
      // without fixes (the save's fix-all request did not reach the server in time, or VS Code cancelled it while the
      // TypeScript extension was still registering providers). The protocol test in test/protocol/codeActions.test.ts
      // shows the server answers a fix-all request made within the debounce; the editor-side race stays open.
      await waitForDiagnostics(uri, (diagnostics) => diagnostics.filter((d) => d.source === 'failpath').length === 3
        && failpathDiagnostics(uri)[0]?.range.start.line === 4, 'the edited text analyzed');
      assert.equal(await editor.document.save(), true, 'the document was saved');

      const onDisk = await readFromDisk(uri);
      assert.equal(onDisk, editor.document.getText(), 'what the editor shows is what was written');
      assert.ok(onDisk.includes('fetch(`https://profiles.example.com/users/${userId}`, { signal: AbortSignal.timeout(10000) })'), onDisk);
      assert.ok(onDisk.includes('axios.get(`https://orders.example.com/users/${userId}/orders`, { timeout: 10000 })'), onDisk);
      assert.ok(onDisk.includes("    body: JSON.stringify({ userId, message }),\n    signal: AbortSignal.timeout(10000),\n  });"), onDisk);
      assert.ok(onDisk.startsWith('// saved by the e2e suite\nimport axios'));
      await waitForDiagnostics(uri, exactly(0), 'no diagnostic after fix-all');
    } finally {
      await restore();
    }
  });
});
