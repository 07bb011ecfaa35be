import * as vscode from 'vscode';
import { CONFIGURATION_SECTION, DIAGNOSTIC_SOURCE, SUPPORTED_LANGUAGES } from '../../server/src/lsp/protocol';

/**
 * `$(shield) Failpath: 3` for the active editor, counted from the diagnostics VS Code already holds, so the
 * number always matches the Problems panel. Clicking it shows the output channel.
 */
export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('failpath.findings', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private serverRunning = false;

  constructor(showOutputCommand: string) {
    this.item.name = 'Failpath findings';
    this.item.command = showOutputCommand;
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active !== undefined && event.uris.some((uri) => uri.toString() === active)) this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(CONFIGURATION_SECTION)) this.update();
      }),
    );
    this.update();
  }

  setServerRunning(running: boolean): void {
    this.serverRunning = running;
    this.update();
  }

  update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !SUPPORTED_LANGUAGES.includes(document.languageId)) {
      this.item.hide();
      return;
    }
    if (!this.serverRunning) {
      this.show('$(shield) Failpath: stopped', 'The Failpath server is not running. Click to show its output.');
    } else if (vscode.workspace.getConfiguration(CONFIGURATION_SECTION, document).get<boolean>('enable') === false) {
      this.show('$(shield) Failpath: off', 'Failpath is disabled (failpath.enable). Click to show its output.');
    } else {
      const count = countFindings(document.uri);
      this.show(`$(shield) Failpath: ${count}`, `${count} Failpath finding${count === 1 ? '' : 's'} in this file. Click to show the output.`);
    }
  }

  private show(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export function countFindings(uri: vscode.Uri): number {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE).length;
}
