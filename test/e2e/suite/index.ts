// Entry point of the extension-host suite, in the shape @vscode/test-electron and code-server's
// `extensionTestsPath` both expect: `run()` resolves when every test passed and rejects otherwise.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';

/**
 * Under code-server the extension host's console reaches the runner only through the browser console,
 * mixed with the workbench's own logging (and with format strings left unformatted); one pre-formatted,
 * marked line per report line lets the runner pick out the report.
 */
function markedLog(marker: string, log: (...args: unknown[]) => void): (...args: unknown[]) => void {
  return (...args: unknown[]) => log(util.format(...args).split('\n').map((line) => marker + line).join('\n'));
}

export async function run(): Promise<void> {
  const { default: Mocha } = await import('mocha');
  const marker = process.env.FAILPATH_E2E_CONSOLE_MARKER;
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  if (marker) base.consoleLog = markedLog(marker, console.log.bind(console));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.FAILPATH_E2E_GREP;
  if (grep) mocha.grep(grep);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
