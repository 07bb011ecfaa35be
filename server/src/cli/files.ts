import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Which files the CLI analyzes: the named files, and the source files under the named directories. */

export interface SourceFile {
  /** Absolute path as reached (through symlinks, if any). */
  path: string;
  /** Named on the command line (analyzed even when generated-looking or of another extension). */
  explicit: boolean;
}

export class MissingPathError extends Error {}

const SOURCE_EXTENSION = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/i;
const DECLARATION_FILE = /\.d\.(c|m)?ts$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt']);

export function isSourceFileName(name: string): boolean {
  return SOURCE_EXTENSION.test(name) && !DECLARATION_FILE.test(name);
}

/** The files to analyze, sorted by path, each once (by real path). Throws MissingPathError for a path that does not exist. */
export function collectFiles(paths: readonly string[], cwd: string): SourceFile[] {
  const found = new Map<string, SourceFile>();
  const add = (file: SourceFile): void => {
    const key = realPathOrSelf(file.path);
    const known = found.get(key);
    if (!known || prefer(file, known)) found.set(key, file);
  };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const stats = statOrUndefined(absolute);
    if (!stats) throw new MissingPathError(whyUnreachable(absolute, given));
    if (stats.isDirectory()) {
      const walker = new DirectoryWalker(add);
      walker.walk(absolute, gitignoreChain(absolute));
    } else if (!stats.isFile()) {
      // A FIFO or device would block the read forever (or never end).
      throw new MissingPathError(`not a regular file or directory: ${given}`);
    } else {
      add({ path: absolute, explicit: true });
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Of two paths to one real file: the named one, else the first in sort order, so output does not depend on readdir order. */
function prefer(candidate: SourceFile, known: SourceFile): boolean {
  if (candidate.explicit !== known.explicit) return candidate.explicit;
  return candidate.path < known.path;
}

/** A path that cannot be reached: missing, or a link that cannot be followed (a loop, a missing target). */
function whyUnreachable(absolute: string, given: string): string {
  try {
    fs.lstatSync(absolute);
  } catch {
    return `path does not exist: ${given}`;
  }
  try {
    fs.statSync(absolute);
    return `cannot read: ${given}`;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    return code === 'ELOOP' ? `symbolic link loop: ${given}` : `link target does not exist: ${given}`;
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function realPathOrSelf(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return file;
  }
}

/** The ignore rules of one .gitignore file, relative to the directory it sits in. */
interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

class DirectoryWalker {
  private readonly visited = new Set<string>();

  constructor(private readonly add: (file: SourceFile) => void) {}

  walk(dir: string, levels: readonly IgnoreLevel[]): void {
    const real = realPathOrSelf(dir);
    // Symlinked directories are followed once: a link back up the tree cannot loop.
    if (this.visited.has(real)) return;
    this.visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const here = withGitignoreOf(dir, levels);
    for (const entry of entries) {
      const child = path.join(dir, entry.name);
      const kind = entryKind(entry, child);
      if (kind === 'directory') {
        if (SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(here, child, true)) continue;
        this.walk(child, here);
      } else if (kind === 'file') {
        if (!isSourceFileName(entry.name) || isIgnored(here, child, false)) continue;
        this.add({ path: child, explicit: false });
      }
    }
  }
}

function entryKind(entry: fs.Dirent, fullPath: string): 'directory' | 'file' | 'other' {
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) {
    const target = statOrUndefined(fullPath);
    if (target?.isDirectory()) return 'directory';
    // A source-named link that cannot be followed is listed, to be reported as unreadable rather than vanish.
    if (target?.isFile() || (!target && isSourceFileName(entry.name))) return 'file';
  }
  return 'other';
}

/**
 * The .gitignore files that apply above a walked directory: those from the repository root (the nearest
 * ancestor holding `.git`) down to the directory's parent. Outside a repository only the walked tree's own count.
 */
function gitignoreChain(dir: string): IgnoreLevel[] {
  const ancestors: string[] = [];
  let current = path.dirname(dir);
  let repositoryRoot: string | undefined = fs.existsSync(path.join(dir, '.git')) ? dir : undefined;
  while (!repositoryRoot) {
    ancestors.unshift(current);
    if (fs.existsSync(path.join(current, '.git'))) repositoryRoot = current;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (!repositoryRoot || repositoryRoot === dir) return [];
  let levels: IgnoreLevel[] = [];
  for (const ancestor of ancestors) levels = withGitignoreOf(ancestor, levels);
  return levels;
}

function withGitignoreOf(dir: string, levels: readonly IgnoreLevel[]): IgnoreLevel[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return [...levels];
  }
  return [...levels, { dir, rules: ignore().add(text) }];
}

/** Git's precedence: the deepest .gitignore that says anything about the path decides. */
function isIgnored(levels: readonly IgnoreLevel[], fullPath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const relative = path.relative(level.dir, fullPath).split(path.sep).join('/');
    if (relative === '' || relative === '..' || relative.startsWith('../')) continue;
    const verdict = level.rules.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}
