import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE, SHOW_RULE_DOCS_COMMAND, SUPPORTED_LANGUAGES, SUPPORTED_SCHEMES } from '../../server/src/lsp/protocol';
import { openRuleDocs } from './ruleDocs';
import { FindingsStatusBar } from './statusBar';

const RESTART_COMMAND = 'failpath.restartServer';
const SHOW_OUTPUT_COMMAND = 'failpath.showOutput';

/** What activation returns; extension-host tests read the client from it. */
export interface FailpathApi {
  readonly client: LanguageClient;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FailpathApi> {
  const output = vscode.window.createOutputChannel('Failpath');
  const languageClient = createClient(context, output);
  client = languageClient;
  const status = new FindingsStatusBar(SHOW_OUTPUT_COMMAND);
  context.subscriptions.push(
    output,
    status,
    languageClient.onDidChangeState(({ newState }) => status.setServerRunning(newState === State.Running)),
    vscode.commands.registerCommand(RESTART_COMMAND, () => restart(languageClient, output)),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, (target?: unknown) => openRuleDocs(context.extensionUri, target)),
  );
  await languageClient.start();
  return { client: languageClient };
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) await running.stop();
}

function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SUPPORTED_SCHEMES.flatMap((scheme) => SUPPORTED_LANGUAGES.map((language) => ({ scheme, language }))),
    diagnosticCollectionName: DIAGNOSTIC_SOURCE,
    outputChannel: output,
  };
  return new LanguageClient('failpath', 'Failpath', serverOptions, clientOptions);
}

async function restart(languageClient: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  try {
    if (languageClient.isRunning()) await languageClient.stop();
    await languageClient.start();
    output.appendLine('Failpath server restarted.');
  } catch (error) {
    output.appendLine(`Failpath server failed to restart: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    void vscode.window.showErrorMessage('Failpath: the server failed to restart. See the Failpath output for details.');
  }
}
