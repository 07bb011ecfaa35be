import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('extension', () => {
  it('is present and activates on a TypeScript file', async () => {
    const extension = vscode.extensions.getExtension('failpath.failpath');
    assert.ok(extension, 'failpath.failpath is not among the loaded extensions');
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});
