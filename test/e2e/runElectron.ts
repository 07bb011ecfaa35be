// Runs the same extension-host suite under a downloaded VS Code desktop (@vscode/test-electron), for machines
// with internet access (update.code.visualstudio.com). Offline, use runCodeServer (npm run test:e2e).
// Usage: npm run test:electron   (VSCODE_TEST_VERSION=1.100.3 by default; 'stable' for the latest)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './prepare';

async function main(): Promise<void> {
  const root = repoRoot();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-electron-'));
  const workspace = path.join(tmp, 'workspace');
  // The tests edit and save files: work on a copy of the sample workspace.
  fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', path.join(tmp, 'user-data')],
      extensionTestsEnv: process.env.FAILPATH_E2E_GREP ? { FAILPATH_E2E_GREP: process.env.FAILPATH_E2E_GREP } : undefined,
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
