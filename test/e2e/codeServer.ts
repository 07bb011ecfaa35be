// Starts and stops one code-server on loopback with its own user-data, extensions and config dirs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

export interface CodeServer {
  url: string;
  port: number;
  workspace: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  entry: string;
  /** Folder holding user-data/, extensions/ and config.yaml for this instance. */
  home: string;
  workspace: string;
  log: (line: string) => void;
  settings?: Record<string, unknown>;
}

const running = new Set<ChildProcess>();

/** Kills every code-server this process started (process groups), synchronously: safe in signal handlers. */
export function killAllSync(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
  running.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function dirs(home: string): { userData: string; extensions: string; config: string } {
  return { userData: path.join(home, 'user-data'), extensions: path.join(home, 'extensions'), config: path.join(home, 'config.yaml') };
}

/** `code-server --install-extension` into this instance's extensions dir (no server is started). */
export function installExtension(entry: string, home: string, vsix: string): void {
  const d = dirs(home);
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(d.config, 'auth: none\n');
  const result = spawnSync(process.execPath, [entry, '--config', d.config, '--user-data-dir', d.userData, '--extensions-dir', d.extensions, '--install-extension', vsix], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const d = dirs(options.home);
  fs.mkdirSync(path.join(d.userData, 'User'), { recursive: true });
  fs.mkdirSync(d.extensions, { recursive: true });
  fs.writeFileSync(d.config, 'auth: none\n');
  fs.writeFileSync(path.join(d.userData, 'User', 'settings.json'), JSON.stringify(userSettings(options.settings), null, 2));
  const port = await freePort();
  const args = [
    options.entry,
    '--config', d.config,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', d.userData,
    '--extensions-dir', d.extensions,
    options.workspace,
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' } });
  running.add(child);
  const logFile = fs.createWriteStream(path.join(options.home, 'code-server.log'));
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilListening(url, child, 30_000);
  } catch (error) {
    await stopChild(child);
    options.log(`code-server log: ${path.join(options.home, 'code-server.log')}`);
    throw error;
  }
  return { url, port, workspace: options.workspace, stop: () => stopChild(child) };
}

/** Quiet, deterministic editor: no welcome page, no telemetry, no auto-save racing the tests. */
function userSettings(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'files.autoSave': 'off',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'typescript.tsserver.experimental.enableProjectDiagnostics': false,
    ...extra,
  };
}

function waitUntilListening(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new Error(`code-server exited with ${child.exitCode} before listening`));
      if (Date.now() > deadline) return reject(new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s`));
      http
        .get(url + '/healthz', (res) => {
          res.resume();
          if (res.statusCode === 200) resolve();
          else setTimeout(attempt, 200);
        })
        .on('error', () => setTimeout(attempt, 200));
    };
    attempt();
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      killGroup(child, 'SIGKILL');
      await exited;
    }
  }
  // Children of the server (extension host, language server) share its process group.
  killGroup(child, 'SIGKILL');
  running.delete(child);
}
