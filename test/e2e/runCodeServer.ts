// Runs the e2e tests offline inside code-server (a real VS Code workbench + Node extension host),
// driven by headless Chromium through playwright-core:
//   1. the extension-host suite (test/e2e/suite, the @vscode/test-electron shape) with the repository as
//      extensionDevelopmentPath;
//   2. the UI tests (test/e2e/ui) against the packaged dist/failpath.vsix installed with --install-extension.
// Usage: node out/test/e2e/runCodeServer.js [--suite-only | --ui-only] [--grep <pattern>]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { killAllSync, installExtension, startCodeServer, type CodeServer } from './codeServer';
import { prepare, PrepareError, repoRoot, type Prepared } from './prepare';
import { UI_TESTS, type UiContext } from './ui/tests';

const SUITE_TIMEOUT_MS = 180_000;
const UI_TEST_TIMEOUT_MS = 90_000;

const root = repoRoot();
const resultsDir = path.join(root, 'test-results', 'e2e');

function log(line: string): void {
  process.stdout.write(`[e2e] ${line}\n`);
}

interface Options {
  suite: boolean;
  ui: boolean;
  grep?: string;
}

function parseArgs(argv: string[]): Options {
  const grepAt = argv.indexOf('--grep');
  // The extension host inherits code-server's environment, so the suite's index reads the grep from there.
  if (grepAt >= 0) process.env.FAILPATH_E2E_GREP = argv[grepAt + 1];
  return {
    suite: !argv.includes('--ui-only'),
    ui: !argv.includes('--suite-only'),
    grep: grepAt >= 0 ? argv[grepAt + 1] : process.env.FAILPATH_E2E_GREP,
  };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const prepared = prepare(log);
  log(`prepared in ${seconds(started)} s`);
  requireBuilt(options);
  fs.mkdirSync(resultsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-e2e-'));
  const browser = await chromium.launch({
    executablePath: prepared.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  let failures = 0;
  try {
    if (options.suite) {
      const t = Date.now();
      failures += await runExtensionHostSuite(prepared, browser, tmp);
      log(`extension-host suite finished in ${seconds(t)} s`);
    }
    if (options.ui) {
      const t = Date.now();
      failures += await runUiTests(prepared, browser, tmp, options.grep);
      log(`UI tests finished in ${seconds(t)} s`);
    }
  } finally {
    await browser.close().catch(() => undefined);
    killAllSync();
    if (failures === 0 && !process.env.FAILPATH_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`temporary files kept in ${tmp}`);
  }
  log(`${failures === 0 ? 'PASSED' : `FAILED (${failures})`} in ${seconds(started)} s`);
  return failures === 0 ? 0 : 1;
}

function requireBuilt(options: Options): void {
  const needed = [path.join(root, 'dist', 'client.js'), path.join(root, 'dist', 'server.js')];
  if (options.suite) needed.push(path.join(root, 'out', 'test', 'e2e', 'suite', 'index.js'));
  if (options.ui) needed.push(path.join(root, 'dist', 'failpath.vsix'));
  const missing = needed.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new PrepareError(`missing build output: ${missing.map((f) => path.relative(root, f)).join(', ')}; run \`npm run package && npm run compile\` (npm run test:e2e does both)`);
  }
}

/** A fresh copy of the sample workspace: the tests edit and save files. */
function copyWorkspace(tmp: string, name: string): string {
  const target = path.join(tmp, name);
  fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), target, { recursive: true });
  return target;
}

async function runExtensionHostSuite(prepared: Prepared, browser: Browser, tmp: string): Promise<number> {
  const workspace = copyWorkspace(tmp, 'suite-workspace');
  const server = await startCodeServer({ entry: prepared.codeServerBin, home: path.join(tmp, 'suite-home'), workspace, log });
  const page = await browser.newPage();
  try {
    let exitCode: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exitCode = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exitCode(code));
    page.on('console', (message) => {
      const text = consoleText(message.text());
      if (text !== undefined) process.stdout.write(text + '\n');
    });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    const testsRoot = path.join(root, 'out', 'test', 'e2e', 'suite');
    const payload: Array<[string, string]> = [
      ['extensionDevelopmentPath', remoteUri(server, root)],
      ['extensionTestsPath', remoteUri(server, path.join(testsRoot, 'index.js'))],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`extension-host suite: ${server.url} (workspace ${workspace})`);
    await page.goto(url);
    const outcome = await Promise.race([exited, delay(SUITE_TIMEOUT_MS).then(() => 'timeout' as const)]);
    if (outcome === 'timeout') {
      await screenshot(page, 'suite-timeout');
      log(`the extension host never reported a result within ${SUITE_TIMEOUT_MS / 1000} s`);
      return 1;
    }
    log(`extension-host suite exited with code ${outcome}`);
    return outcome === 0 ? 0 : 1;
  } finally {
    await page.close().catch(() => undefined);
    await server.stop();
  }
}

async function runUiTests(prepared: Prepared, browser: Browser, tmp: string, grep?: string): Promise<number> {
  const home = path.join(tmp, 'ui-home');
  installExtension(prepared.codeServerBin, home, path.join(root, 'dist', 'failpath.vsix'));
  let failures = 0;
  for (const test of UI_TESTS) {
    if (grep && !test.name.includes(grep)) continue;
    const workspace = copyWorkspace(tmp, `ui-workspace-${UI_TESTS.indexOf(test)}`);
    const server = await startCodeServer({ entry: prepared.codeServerBin, home, workspace, log, settings: test.settings });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const t = Date.now();
    try {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      const ui: UiContext = { page, workspace, log };
      await Promise.race([
        test.run(ui),
        delay(UI_TEST_TIMEOUT_MS).then(() => {
          throw new Error(`timed out after ${UI_TEST_TIMEOUT_MS / 1000} s`);
        }),
      ]);
      process.stdout.write(`  ✔ UI: ${test.name} (${seconds(t)} s)\n`);
    } catch (error) {
      failures += 1;
      const shot = await screenshot(page, test.name);
      process.stdout.write(`  ✘ UI: ${test.name}\n    ${error instanceof Error ? error.stack ?? error.message : String(error)}\n    screenshot: ${shot}\n`);
    } finally {
      await context.close().catch(() => undefined);
      await server.stop();
    }
  }
  return failures;
}

/** `vscode-remote://` URI of a path on the code-server machine (the same machine here). */
function remoteUri(server: CodeServer, file: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${file.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** Marks the suite's console lines; the extension host inherits code-server's environment. */
const CONSOLE_MARKER = '[failpath-e2e] ';
process.env.FAILPATH_E2E_CONSOLE_MARKER = CONSOLE_MARKER;

/** The suite's own lines (mocha's report), out of the workbench's console chatter. */
function consoleText(raw: string): string | undefined {
  if (process.env.FAILPATH_E2E_VERBOSE) return raw;
  const lines = raw.split('\n').filter((line) => line.includes(CONSOLE_MARKER));
  if (lines.length === 0) return undefined;
  return lines.map((line) => line.slice(line.indexOf(CONSOLE_MARKER) + CONSOLE_MARKER.length)).join('\n');
}

async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(resultsDir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  return path.relative(root, file);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function onSignal(signal: NodeJS.Signals): void {
  log(`${signal}: stopping code-server`);
  killAllSync();
  process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', killAllSync);

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killAllSync();
    if (error instanceof PrepareError) process.stderr.write(`[e2e] ${error.message}\n`);
    else process.stderr.write(`[e2e] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
