// Makes sure what the offline e2e run needs is on this machine: a Chromium to drive the workbench and
// code-server (a real VS Code workbench + Node extension host) installed from npm into a cache folder.
// Everything is installed only when missing; a second run only checks.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Debian packages: the browser, kerberos headers + pkg-config for a native module, ripgrep for search. */
const APT_PACKAGES: ReadonlyArray<{ pkg: string; present: () => boolean }> = [
  { pkg: 'chromium', present: () => chromiumPath() !== undefined },
  { pkg: 'libkrb5-dev', present: () => fs.existsSync('/usr/include/gssapi/gssapi.h') },
  { pkg: 'pkg-config', present: () => onPath('pkg-config') },
  { pkg: 'ripgrep', present: () => onPath('rg') },
];

export interface Prepared {
  codeServerBin: string;
  chromium: string;
}

export class PrepareError extends Error {}

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'e2e') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new PrepareError('cannot find the repository root above ' + __dirname);
    dir = parent;
  }
  return dir;
}

export function cacheDir(): string {
  return process.env.FAILPATH_E2E_CACHE ?? path.join(repoRoot(), 'node_modules', '.cache', 'failpath-e2e');
}

export function chromiumPath(): string | undefined {
  const candidates = [process.env.FAILPATH_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => p !== undefined && p !== '' && fs.existsSync(p));
}

export function prepare(log: (line: string) => void): Prepared {
  ensureSystemPackages(log);
  const chromium = chromiumPath();
  if (!chromium) throw new PrepareError('chromium is still missing after installing it');
  const codeServerBin = ensureCodeServer(log);
  return { codeServerBin, chromium };
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function isDebianLike(): boolean {
  return fs.existsSync('/etc/debian_version') && onPath('apt-get');
}

function ensureSystemPackages(log: (line: string) => void): void {
  const missing = APT_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
  // The native-module headers matter only while code-server is being installed.
  const needed = codeServerInstalled() ? missing.filter((p) => p === 'chromium') : missing;
  if (needed.length === 0) return;
  if (!isRoot() || !isDebianLike()) {
    throw new PrepareError(
      `The e2e tests need these system packages: ${needed.join(', ')}.\n` +
        `Install them, e.g. on Debian/Ubuntu: sudo apt-get install -y ${needed.join(' ')}\n` +
        '(or point FAILPATH_E2E_CHROMIUM at an existing Chromium/Chrome binary), then run `npm run test:e2e` again.',
    );
  }
  log(`installing with apt-get: ${needed.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['install', '-y', '--no-install-recommends', ...needed], { env }, () => {
    log('apt-get install failed; refreshing the package lists and retrying');
    run('apt-get', ['update'], { env });
    run('apt-get', ['install', '-y', '--no-install-recommends', ...needed], { env });
  });
}

function codeServerPrefix(): string {
  return path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

function codeServerEntry(): string {
  return path.join(codeServerPrefix(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The marker is written only after the whole install (including native modules) succeeded. */
function codeServerInstalled(): boolean {
  return fs.existsSync(path.join(codeServerPrefix(), '.installed')) && fs.existsSync(codeServerEntry());
}

function ensureCodeServer(log: (line: string) => void): string {
  if (codeServerInstalled()) return codeServerEntry();
  const prefix = codeServerPrefix();
  const started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${prefix} (one time, ~300 MB)`);
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  const env = npmEnv();

  // Phase 1: unpack code-server and its own dependencies without running any install script.
  writeJson(path.join(prefix, 'package.json'), { name: 'failpath-e2e-code-server', private: true });
  run('npm', ['install', '--ignore-scripts', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { cwd: prefix, env });

  // npm 11 blocks dependency install scripts unless the project's package.json lists them in
  // `allowScripts`. code-server's postinstall runs nested `npm install`s in lib/vscode and
  // lib/vscode/extensions, which are projects of their own; allow exactly the scripts their
  // shrinkwraps declare (pinned to the shrinkwrapped versions) in each of the three projects.
  const pkgDir = path.join(prefix, 'node_modules', 'code-server');
  writeJson(path.join(prefix, 'package.json'), {
    name: 'failpath-e2e-code-server',
    private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: installScriptsOf(pkgDir, `code-server@${CODE_SERVER_VERSION}`),
  });
  for (const sub of ['lib/vscode', 'lib/vscode/extensions']) addAllowScripts(path.join(pkgDir, sub));
  seedRipgrepCache(path.join(pkgDir, 'lib', 'vscode'), log);

  // Phase 2: run the install scripts (code-server's postinstall installs VS Code's own modules).
  run('npm', ['rebuild', '--unsafe-perm', '--foreground-scripts'], { cwd: prefix, env });
  if (!fs.existsSync(path.join(pkgDir, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))) {
    throw new PrepareError('code-server installed without its ripgrep binary; see the output above');
  }
  fs.writeFileSync(path.join(prefix, '.installed'), new Date().toISOString() + '\n');
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerEntry();
}

/** Environment for every npm process of the install, nested ones included. */
function npmEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // node-pty's postinstall runs `npx node-gyp`; a user config `yes=false` would make npx refuse.
    npm_config_yes: 'true',
    // node-gyp would download Node headers from the internet; Debian's nodejs ships them in /usr/include/node.
    npm_config_nodedir: process.env.npm_config_nodedir ?? (fs.existsSync('/usr/include/node/node.h') ? '/usr' : ''),
    // As root, code-server's postinstall refuses to run unless this is set.
    npm_config_unsafe_perm: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

interface Shrinkwrap {
  packages?: Record<string, { version?: string; hasInstallScript?: boolean; os?: string[] }>;
}

/** `name@version: true` for every package of a shrinkwrapped project that has an install script. */
function installScriptsOf(projectDir: string, self?: string): Record<string, boolean> {
  const allow: Record<string, boolean> = {};
  if (self) allow[self] = true;
  const shrinkwrapFile = path.join(projectDir, 'npm-shrinkwrap.json');
  if (!fs.existsSync(shrinkwrapFile)) return allow;
  const shrinkwrap = JSON.parse(fs.readFileSync(shrinkwrapFile, 'utf8')) as Shrinkwrap;
  for (const [location, entry] of Object.entries(shrinkwrap.packages ?? {})) {
    if (location === '' || !entry.hasInstallScript || !entry.version) continue;
    if (entry.os && !entry.os.includes(process.platform)) continue;
    const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    allow[`${name}@${entry.version}`] = true;
  }
  return allow;
}

function addAllowScripts(projectDir: string): void {
  const manifestFile = path.join(projectDir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  manifest.allowScripts = installScriptsOf(projectDir);
  writeJson(manifestFile, manifest);
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub, but first looks for the release asset in
 * `<tmpdir>/vscode-ripgrep-cache-<version>/`. A tarball holding the system's rg satisfies it.
 */
function seedRipgrepCache(vscodeDir: string, log: (line: string) => void): void {
  const shrinkwrap = JSON.parse(fs.readFileSync(path.join(vscodeDir, 'npm-shrinkwrap.json'), 'utf8')) as Shrinkwrap;
  const version = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (!version) return;
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new PrepareError('ripgrep (rg) is needed to install code-server offline: apt-get install -y ripgrep');
  const target = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' }[process.arch as 'x64' | 'arm64' | 'ia32'];
  if (!target) throw new PrepareError(`no ripgrep asset name known for architecture ${process.arch}`);
  const ripgrepRelease = ripgrepReleaseOf(vscodeDir) ?? 'v13.0.0-10';
  const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${version}`);
  const asset = path.join(dir, `ripgrep-${ripgrepRelease}-${target}-unknown-linux-musl.tar.gz`);
  if (fs.existsSync(asset)) return;
  fs.mkdirSync(dir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-rg-'));
  try {
    fs.copyFileSync(rg, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    run('tar', ['-czf', asset, '-C', staging, 'rg'], {});
    log(`seeded the ripgrep download cache with ${rg}: ${asset}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The ripgrep release tag @vscode/ripgrep asks for, read from the unpacked package when it is there. */
function ripgrepReleaseOf(vscodeDir: string): string | undefined {
  const postinstall = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'lib', 'postinstall.js');
  if (!fs.existsSync(postinstall)) return undefined;
  return /const VERSION = '([^']+)'/.exec(fs.readFileSync(postinstall, 'utf8'))?.[1];
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }, onFailure?: () => void): void {
  const result = spawnSync(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status === 0) return;
  if (onFailure) return onFailure();
  throw new PrepareError(`\`${command} ${args.join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`})`);
}
