import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Facts about the installed Failpath package itself: version and where its docs are. */

export interface PackageInfo {
  version: string;
  root: string;
  homepage?: string;
}

let cached: PackageInfo | undefined;

/** The nearest package.json named "failpath" above this module (dist/cli.js sits one level below it). */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = readManifest(path.join(dir, 'package.json'));
    if (manifest?.name === 'failpath') {
      cached = { version: typeof manifest.version === 'string' ? manifest.version : '0.0.0', root: dir, homepage: typeof manifest.homepage === 'string' ? manifest.homepage : undefined };
      return cached;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      cached = { version: '0.0.0', root: path.join(__dirname, '..') };
      return cached;
    }
    dir = parent;
  }
}

function readManifest(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** SARIF wants absolute URIs: the rule page shipped in the package, as a file URI. */
export function ruleDocsUri(ruleId: string): string {
  return pathToFileURL(path.join(packageInfo().root, 'docs', 'rules', `${ruleId}.md`)).href;
}

export function informationUri(): string {
  const info = packageInfo();
  return info.homepage ?? pathToFileURL(path.join(info.root, 'docs', 'cli.md')).href;
}
