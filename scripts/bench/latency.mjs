// Editor latency through the built language server over stdio: time from sending a didChange to receiving the
// publishDiagnostics for that version. FAILPATH_DEBOUNCE_MS=0 takes the typing debounce out of the number.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { editablePositions, generateRouterFile } from './generate.mjs';
import { percentile } from './stats.mjs';

const TIMEOUT_MS = 30_000;

function positionAt(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, character: offset - lineStart };
}

/** The built server over stdio, driven the way an editor drives it; also used by the workspace-index step. */
export class Session {
  constructor(repoRoot, serverBundle) {
    const rpc = createRequire(path.join(repoRoot, 'package.json'))('vscode-jsonrpc/node');
    this.child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe', env: { ...process.env, FAILPATH_DEBOUNCE_MS: '0' } });
    this.stderr = '';
    this.child.stderr.on('data', (chunk) => { this.stderr += chunk; });
    this.connection = rpc.createMessageConnection(new rpc.StreamMessageReader(this.child.stdout), new rpc.StreamMessageWriter(this.child.stdin));
    this.waiting = new Map();
    this.connection.onNotification('textDocument/publishDiagnostics', (params) => {
      const key = `${params.uri}#${params.version}`;
      const waiter = this.waiting.get(key);
      if (waiter) {
        this.waiting.delete(key);
        waiter({ at: performance.now(), count: params.diagnostics.length });
      }
    });
    this.connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.logListeners = new Set();
    this.connection.onNotification('window/logMessage', (params) => {
      for (const listener of this.logListeners) listener(params.message);
    });
    this.connection.listen();
  }

  get pid() {
    return this.child.pid;
  }

  async initialize(rootDir, { workDoneProgress = false } = {}) {
    const rootUri = pathToFileURL(rootDir).href;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
        ...(workDoneProgress ? { window: { workDoneProgress: true } } : {}),
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  diagnosticsFor(uri, version) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${TIMEOUT_MS} ms; server stderr: ${this.stderr.slice(-2000)}`)), TIMEOUT_MS);
      this.waiting.set(`${uri}#${version}`, (value) => { clearTimeout(timer); resolve(value); });
    });
  }

  /** The first match of `pattern` in a window/logMessage from now on. */
  logMatching(pattern, timeoutMs) {
    return new Promise((resolve, reject) => {
      const listener = (message) => {
        const match = pattern.exec(message);
        if (!match) return;
        this.logListeners.delete(listener);
        clearTimeout(timer);
        resolve({ at: performance.now(), match });
      };
      const timer = setTimeout(() => {
        this.logListeners.delete(listener);
        reject(new Error(`no log message matching ${pattern} within ${timeoutMs} ms; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.logListeners.add(listener);
    });
  }

  async stop() {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // gone already
    }
    await new Promise((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else {
        const timer = setTimeout(() => { this.child.kill('SIGKILL'); resolve(); }, 2000);
        this.child.once('exit', () => { clearTimeout(timer); resolve(); });
      }
    });
    this.connection.dispose();
  }
}

/**
 * For each size: open a generated file, then `edits` sequential one-number edits (incremental changes, as an
 * editor sends when typing) at spread-out places, each timed until its version's diagnostics arrive.
 */
export async function measureLatency(repoRoot, { sizes = [1000, 5000, 20000], edits = 60, warmupEdits = 5 } = {}) {
  const session = new Session(repoRoot, path.join(repoRoot, 'dist', 'server.js'));
  const results = [];
  try {
    await session.initialize(repoRoot);
    for (const size of sizes) {
      let text = generateRouterFile(size);
      const lines = text.split('\n').length;
      const uri = pathToFileURL(path.join(repoRoot, 'bench-scratch', `router-${size}.ts`)).href;
      const opened = session.diagnosticsFor(uri, 1);
      await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      const first = await opened;
      const samples = [];
      for (let edit = 0; edit < warmupEdits + edits; edit++) {
        const places = editablePositions(text);
        const place = places[(edit * 7919) % places.length];
        const replacement = String((edit * 31) % 97);
        const range = { start: positionAt(text, place.offset), end: positionAt(text, place.offset + place.length) };
        text = text.slice(0, place.offset) + replacement + text.slice(place.offset + place.length);
        const version = edit + 2;
        const published = session.diagnosticsFor(uri, version);
        const sent = performance.now();
        await session.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: replacement }] });
        const { at } = await published;
        if (edit >= warmupEdits) samples.push(at - sent);
      }
      await session.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      results.push({ size, lines, diagnostics: first.count, edits: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), max: Math.max(...samples) });
    }
  } finally {
    await session.stop();
  }
  return results;
}
