import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type FileEvent,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer } from './lsp/analysis';
import { codeActionsFor } from './lsp/codeActions';
import { isSupportedDocument } from './lsp/documents';
import { describeError, OutputLog } from './lsp/log';
import { ProjectInfoCache } from './lsp/projectInfo';
import { CONFIGURATION_SECTION, FIX_ALL_KIND } from './lsp/protocol';
import { DocumentSettings } from './lsp/settings';
import { Validator } from './lsp/validation';
import { WorkspaceFolders } from './lsp/workspace';
import { enabledExcludePatterns, INDEXED_FILE_GLOBS, WorkspaceIndexing } from './lsp/indexing';

// The transport (--stdio, --node-ipc, --socket) comes from the command line.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = new OutputLog(connection.console);
const folders = new WorkspaceFolders();
const projects = new ProjectInfoCache();

let canPullConfiguration = false;
let canRegisterConfigurationChange = false;
let canWatchFiles = false;
let hasWorkspaceFolders = false;

const settings = new DocumentSettings(
  {
    fetchEditorSettings: (uri) => canPullConfiguration
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: CONFIGURATION_SECTION })
      : Promise.resolve(undefined),
    // A notification, not window/showMessageRequest: there is nothing to answer, so nothing to wait for.
    warnUser: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }),
  },
  log,
  folders,
);
const analyzer = new DocumentAnalyzer(settings, projects, log);
const validator = new Validator(connection, documents, analyzer, log);
const indexing = new WorkspaceIndexing({
  openDocumentUris: () => documents.all().filter(isSupportedDocument).map((document) => document.uri),
  revalidate: (uris) => {
    for (const uri of uris) {
      analyzer.invalidate(uri);
      validator.schedule(uri);
    }
  },
  filesExclude: async (folder) => canPullConfiguration ? enabledExcludePatterns(
    await connection.workspace.getConfiguration({ scopeUri: pathToFileURL(folder).href, section: 'files.exclude' }),
  ) : [],
  createProgress: () => connection.window.createWorkDoneProgress(),
}, log);
analyzer.crossFile = { knowledge: () => indexing.knowledge, parsed: (uri, sourceFile) => indexing.documentParsed(uri, sourceFile) };

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  canPullConfiguration = capabilities.workspace?.configuration === true;
  canRegisterConfigurationChange = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  canWatchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  hasWorkspaceFolders = capabilities.workspace?.workspaceFolders === true;
  folders.set(params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'failpath' },
  };
});

connection.onInitialized(() => {
  if (canRegisterConfigurationChange) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIGURATION_SECTION })
      .catch((error: unknown) => log.error(`Failpath: could not watch settings: ${describeError(error)}`));
  }
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/failpath.config.json' }, { globPattern: '**/package.json' }, ...INDEXED_FILE_GLOBS.map((globPattern) => ({ globPattern }))],
    }).catch((error: unknown) => log.error(`Failpath: could not watch config files: ${describeError(error)}`));
  }
  if (hasWorkspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      folders.remove(event.removed);
      folders.add(event.added);
      refreshAll({ projectFiles: true });
      void indexing.start(folders.all());
    });
  }
  void indexing.start(folders.all());
});

documents.onDidOpen(({ document }) => {
  if (isSupportedDocument(document)) validator.schedule(document.uri);
});

documents.onDidChangeContent(({ document }) => {
  if (!isSupportedDocument(document)) return;
  void whenRunIs('onType', document.uri, () => validator.schedule(document.uri));
});

documents.onDidSave(({ document }) => {
  if (!isSupportedDocument(document)) return;
  void whenRunIs('onSave', document.uri, () => validator.schedule(document.uri));
});

documents.onDidClose(({ document }) => {
  indexing.documentClosed(document.uri);
  validator.clear(document.uri);
  settings.forget(document.uri);
  analyzer.forget(document.uri);
});

connection.onDidChangeConfiguration(() => refreshAll({ projectFiles: false }));

connection.onDidChangeWatchedFiles(({ changes }) => {
  indexing.filesChanged(changes);
  if (changes.some(isProjectFile)) refreshAll({ projectFiles: true });
});

connection.onShutdown(() => indexing.cancel());

connection.onCodeAction(async (params): Promise<CodeAction[]> => {
  const document = documents.get(params.textDocument.uri);
  if (!document || !isSupportedDocument(document)) return [];
  try {
    const analysis = await analyzer.current(document);
    return codeActionsFor(document, analysis, params);
  } catch (error) {
    log.error(`Failpath could not compute code actions for ${document.uri}: ${describeError(error)}`);
    return [];
  }
});

async function whenRunIs(run: 'onType' | 'onSave', uri: string, action: () => void): Promise<void> {
  try {
    const resolved = await settings.get(uri);
    if (resolved.settings.run === run) action();
  } catch (error) {
    log.error(`Failpath could not read settings for ${uri}: ${describeError(error)}`);
  }
}

/** Settings or project files changed: forget what depended on them and validate every open document again. */
function refreshAll({ projectFiles }: { projectFiles: boolean }): void {
  if (projectFiles) {
    settings.projectFilesChanged();
    projects.clear();
  } else {
    settings.editorSettingsChanged();
  }
  analyzer.clear();
  for (const document of documents.all()) {
    if (isSupportedDocument(document)) validator.schedule(document.uri);
  }
}

function isProjectFile(change: FileEvent): boolean {
  return /(^|\/)(failpath\.config\.json|package\.json)$/.test(change.uri);
}

// A bug triggered by one file must not take the server (and every other file's diagnostics) down.
process.on('uncaughtException', (error) => log.error(`Failpath server error: ${describeError(error)}`));
process.on('unhandledRejection', (reason) => log.error(`Failpath server error: ${describeError(reason)}`));

documents.listen(connection);
connection.listen();
