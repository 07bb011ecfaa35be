import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writing files safely: whole or not at all, and never outside what the user named. */

/** Writes `data` to a temporary file beside `target`, then renames it over `target`; keeps the file mode. */
export function writeAtomically(target: string, data: string | Uint8Array): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.failpath-${process.pid}-${Date.now().toString(36)}.tmp`);
  const mode = existingMode(target);
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(temp, 'wx', mode ?? 0o666);
    fs.writeFileSync(descriptor, data);
    fs.fsyncSync(descriptor);
    fs.closeSync(descriptor);
    descriptor = undefined;
    if (mode !== undefined) fs.chmodSync(temp, mode);
    fs.renameSync(temp, target);
  } catch (error) {
    if (descriptor !== undefined) fs.closeSync(descriptor);
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function existingMode(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** The real paths of the paths given on the command line: fixes may only land inside them. */
export function realRoots(paths: readonly string[], cwd: string): string[] {
  return paths.map((given) => {
    const absolute = path.resolve(cwd, given);
    try {
      return fs.realpathSync(absolute);
    } catch {
      return absolute;
    }
  });
}

/** Where to write a fix of `file`: its real path (so a symlink stays a symlink), or undefined when that lies outside every root. */
export function fixTarget(file: string, roots: readonly string[]): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return undefined;
  }
  return roots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) ? real : undefined;
}
