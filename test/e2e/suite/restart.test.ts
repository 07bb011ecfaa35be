import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, exactly, failpathDiagnostics, open, waitForDiagnostics } from './helpers';

describe('Failpath: Restart server', () => {
  before(activateExtension);

  it('is a command in the palette and brings the diagnostics back after restarting', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('failpath.restartServer'));
    const editor = await open('src/restart/rates.ts');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, exactly(1), 'one diagnostic before the restart');

    // Stopping the client clears its diagnostics; seeing them cleared proves a restart happened.
    let cleared = false;
    const listener = vscode.languages.onDidChangeDiagnostics(() => {
      if (failpathDiagnostics(uri).length === 0) cleared = true;
    });
    try {
      await vscode.commands.executeCommand('failpath.restartServer');
      await waitForDiagnostics(uri, exactly(1), 'the diagnostic after the restart');
    } finally {
      listener.dispose();
    }
    assert.equal(cleared, true, 'the diagnostics were never cleared: the server did not restart');
  });
});
