import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes `files` (path → text) under a fresh temporary directory and returns its real path. */
export function writeTree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-ws-')));
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}
