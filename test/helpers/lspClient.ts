import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type CodeAction,
  type Command,
  type ConfigurationParams,
  type Diagnostic,
  type FileEvent,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type RegistrationParams,
  type ShowMessageParams,
  type LogMessageParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ALL_RULES } from '../../server/src/engine';

/** Repository root, from `out/test/helpers/`. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');
const DEFAULT_TIMEOUT_MS = 5000;

export interface StartOptions {
  /** The `failpath` section the client answers `workspace/configuration` with. */
  settings?: Record<string, unknown>;
  /** Directory opened as the (single) workspace folder. */
  workspaceFolder?: string;
  /** Advertise `window.workDoneProgress`, so the server reports progress (recorded in `progress`). */
  workDoneProgress?: boolean;
}

interface OpenDocument {
  languageId: string;
  version: number;
  text: string;
}

/**
 * A minimal LSP client for tests: spawns the built server over stdio, answers the server's requests as an
 * editor would (configuration from `settings`, capability registrations accepted) and records what the
 * server sends: diagnostics, log lines, user-visible messages.
 */
export class LspTestClient {
  settings: Record<string, unknown>;
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly shownMessages: ShowMessageParams[] = [];
  readonly registrations: Registration[] = [];
  readonly configurationRequests: ConfigurationParams[] = [];
  /** `$/progress` notifications, in order (with `workDoneProgress`). */
  readonly progress: { token: string | number; value: { kind: string; title?: string; message?: string; percentage?: number } }[] = [];
  private readonly documents = new Map<string, OpenDocument>();
  private readonly waiters = new Set<() => void>();
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly connection: MessageConnection, settings: Record<string, unknown>) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspTestClient(child, connection, options.settings ?? {});
    child.stderr.on('data', (chunk: Buffer) => { client.stderr += chunk.toString(); });
    client.listen();
    connection.listen();
    const rootUri = options.workspaceFolder ? pathToFileURL(options.workspaceFolder).href : null;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: path.basename(options.workspaceFolder ?? '') }] : null,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
          },
        },
        ...(options.workDoneProgress ? { window: { workDoneProgress: true } } : {}),
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private listen(): void {
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.publishes.push(params);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (params: LogMessageParams) => {
      this.logs.push(params);
      this.wake();
    });
    this.connection.onNotification('window/showMessage', (params: ShowMessageParams) => {
      this.shownMessages.push(params);
      this.wake();
    });
    // showWarningMessage and friends are requests (they may carry buttons); record them like notifications.
    this.connection.onRequest('window/showMessageRequest', (params: ShowMessageParams) => {
      this.shownMessages.push(params);
      this.wake();
      return null;
    });
    this.connection.onRequest('workspace/configuration', (params: ConfigurationParams) => {
      this.configurationRequests.push(params);
      return params.items.map((item) => (item.section === 'failpath' ? this.settings : null));
    });
    this.connection.onRequest('client/registerCapability', (params: RegistrationParams) => {
      this.registrations.push(...params.registrations);
      this.wake();
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', (params: LspTestClient['progress'][number]) => {
      this.progress.push(params);
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with the first value `probe` returns that is not undefined, checked now and after every message. */
  waitFor<T>(description: string, probe: () => T | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** The first publish for `uri` at index `since` or later that satisfies `predicate`. */
  waitForDiagnostics(
    uri: string,
    predicate: (params: PublishDiagnosticsParams) => boolean = () => true,
    since = 0,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${uri}`, () =>
      this.publishes.slice(since).find((params) => params.uri === uri && predicate(params)), timeoutMs);
  }

  /** Diagnostics published for the document's current version. */
  diagnosticsForCurrentVersion(uri: string, since = 0): Promise<Diagnostic[]> {
    const version = this.versionOf(uri);
    return this.waitForDiagnostics(uri, (params) => params.version === version, since).then((params) => params.diagnostics);
  }

  lastPublish(uri: string): PublishDiagnosticsParams | undefined {
    return this.publishes.filter((params) => params.uri === uri).at(-1);
  }

  open(uri: string, text: string, languageId = 'typescript'): void {
    this.documents.set(uri, { languageId, version: 1, text });
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-document change event); returns the new version. */
  change(uri: string, text: string): number {
    const document = this.document(uri);
    document.version++;
    document.text = text;
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: document.version },
      contentChanges: [{ text }],
    });
    return document.version;
  }

  /** Applies the edits of `edit` for `uri` to the open text and sends the result as a change. */
  applyEdit(uri: string, edit: WorkspaceEdit | undefined): string {
    const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
    if (edits.length === 0) throw new Error(`the workspace edit has no edits for ${uri}`);
    const text = applyTextEdits(this.document(uri).text, edits);
    this.change(uri, text);
    return text;
  }

  save(uri: string): void {
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): void {
    this.documents.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  textOf(uri: string): string {
    return this.document(uri).text;
  }

  versionOf(uri: string): number {
    return this.document(uri).version;
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[] | null> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  /** Changes the answer to `workspace/configuration` and tells the server, as VS Code does on a settings edit. */
  changeSettings(settings: Record<string, unknown>): void {
    this.settings = settings;
    void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  /** The user pressed Cancel on a progress notification. */
  cancelProgress(token: string | number): void {
    void this.connection.sendNotification('window/workDoneProgress/cancel', { token });
  }

  filesChanged(changes: FileEvent[]): void {
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  logText(): string {
    return this.logs.map((entry) => entry.message).join('\n');
  }

  get serverStderr(): string {
    return this.stderr;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 2000);
      await this.connection.sendNotification('exit');
    } catch {
      // The server is already gone or stuck; it is killed below either way.
    }
    const exited = new Promise<void>((resolve) => {
      if (this.exited) resolve();
      else this.child.once('exit', () => resolve());
    });
    await withTimeout(exited, 2000).catch(() => this.child.kill('SIGKILL'));
    this.connection.dispose();
  }

  private document(uri: string): OpenDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///edit.ts', 'typescript', 0, text), edits);
}

export function isCodeAction(item: CodeAction | Command): item is CodeAction {
  return typeof (item as Command).command !== 'string';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error: unknown) => { clearTimeout(timer); reject(error); });
  });
}

let untitledCounter = 0;

/** A fresh document URI per test, so tests in one server do not see each other's diagnostics. */
export function fileUri(directory: string, name: string): string {
  return pathToFileURL(path.join(directory, name)).href;
}

export function untitledUri(): string {
  return `untitled:Untitled-${++untitledCounter}`;
}

/**
 * Editor settings that turn off every registered rule except `ruleIds` (explicit entries in `settings.rules`
 * still win), so a test's expected diagnostics do not change when new rules are registered.
 */
export function onlyRules(ruleIds: readonly string[], settings: Record<string, unknown> = {}): Record<string, unknown> {
  const off = Object.fromEntries(ALL_RULES.filter((rule) => !ruleIds.includes(rule.meta.id)).map((rule) => [rule.meta.id, 'off']));
  const explicit = typeof settings.rules === 'object' && settings.rules !== null ? settings.rules : {};
  return { ...settings, rules: { ...off, ...explicit } };
}
