import * as vscode from 'vscode';
import { activateExtension, codeOf, exactly, open, waitForDiagnostics, withSetting } from './helpers';

describe('settings apply without a reload', () => {
  before(activateExtension);

  it('failpath.rules { "missing-timeout": "off" } removes its diagnostics; "error" raises their severity', async () => {
    const editor = await open('src/settings/prices.ts');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, exactly(1), 'one diagnostic');

    let restore = await withSetting('failpath', 'rules', { 'missing-timeout': 'off' });
    try {
      await waitForDiagnostics(uri, exactly(0), 'no diagnostic with the rule off');
    } finally {
      await restore();
    }
    await waitForDiagnostics(uri, exactly(1), 'the diagnostic back once the setting is removed');

    restore = await withSetting('failpath', 'rules', { 'missing-timeout': 'error' });
    try {
      await waitForDiagnostics(
        uri,
        (d) => d.length === 1 && codeOf(d[0]) === 'missing-timeout' && d[0].severity === vscode.DiagnosticSeverity.Error,
        'an error-severity diagnostic',
      );
    } finally {
      await restore();
    }
    await waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Warning, 'the warning back');
  });

  it('failpath.enable: false clears every Failpath diagnostic', async () => {
    const prices = await open('src/settings/prices.ts');
    const rates = await open('src/restart/rates.ts');
    await waitForDiagnostics(prices.document.uri, exactly(1), 'the prices diagnostic');
    await waitForDiagnostics(rates.document.uri, exactly(1), 'the rates diagnostic');

    const restore = await withSetting('failpath', 'enable', false);
    try {
      await waitForDiagnostics(prices.document.uri, exactly(0), 'no diagnostic when disabled');
      await waitForDiagnostics(rates.document.uri, exactly(0), 'no diagnostic when disabled');
    } finally {
      await restore();
    }
    await waitForDiagnostics(prices.document.uri, exactly(1), 'diagnostics back when enabled again');
    await waitForDiagnostics(rates.document.uri, exactly(1), 'diagnostics back when enabled again');
  });
});
