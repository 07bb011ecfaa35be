import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * Module resolution inside the workspace, without a TypeScript program: relative paths, index files,
 * extensions (a `.js` specifier finds its `.ts` source), tsconfig/jsconfig `paths` and `baseUrl` (read as JSON
 * with comments, never executed), and workspace packages of monorepos (package.json `workspaces`, `exports`,
 * `main`). Anything it cannot place is unknown: `resolve` answers undefined and never throws.
 */

/** What resolution reads from disk; tests give an in-memory one. */
export interface ResolverHost {
  isFile(filePath: string): boolean;
  readFile(filePath: string): string | undefined;
  /** Subdirectories of a directory (for `workspaces` globs). */
  directories(dirPath: string): string[];
  /**
   * What a directory holds, by name, to answer `isFile` for many candidates with one read: undefined when it cannot
   * be listed (then each candidate is asked with `isFile`). Optional.
   */
  listing?(dirPath: string): DirectoryListing | undefined;
}

/** A directory's entries: regular files, links (to follow with `isFile`), and the rest (directories, sockets...). */
export type DirectoryListing = ReadonlyMap<string, 'file' | 'link' | 'other'>;

export const diskHost: ResolverHost = {
  isFile(filePath) {
    try {
      // Most paths tried do not exist: answering without an exception is about 8 times cheaper.
      return fs.statSync(filePath, { throwIfNoEntry: false })?.isFile() === true;
    } catch {
      return false;
    }
  },
  readFile(filePath) {
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
    }
  },
  directories(dirPath) {
    try {
      return fs.readdirSync(dirPath, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch {
      return [];
    }
  },
  listing(dirPath) {
    try {
      const entries = new Map<string, 'file' | 'link' | 'other'>();
      for (const entry of fs.readdirSync(dirPath, { withFileTypes: true })) {
        entries.set(entry.name, entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other');
      }
      return entries;
    } catch (error) {
      // A missing directory holds no file; one that cannot be read may still let its files be reached.
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? new Map() : undefined;
    }
  },
};

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Emitted extension → the source extensions it is compiled from. */
const SOURCE_OF: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'],
};
const MAX_EXTENDS = 8;

interface PathsConfig {
  /** Directory that `paths` targets are relative to (baseUrl, else the config's own directory). */
  base: string;
  baseUrl?: string;
  paths: [pattern: string, targets: string[]][];
}

interface WorkspacePackage {
  dir: string;
  manifest: PackageManifest;
}

interface PackageManifest {
  name?: unknown;
  main?: unknown;
  module?: unknown;
  source?: unknown;
  exports?: unknown;
  workspaces?: unknown;
}

export class ModuleResolver {
  private readonly configByDir = new Map<string, PathsConfig | null>();
  private readonly resolved = new Map<string, string | null>();
  private readonly fileChecks = new Map<string, boolean>();
  private readonly listings = new Map<string, { entries: DirectoryListing; folded: ReadonlySet<string> } | null>();
  private packages: Map<string, WorkspacePackage> | undefined;
  private readonly host: ResolverHost;

  constructor(private readonly roots: readonly string[], host: ResolverHost = diskHost) {
    // Many directories try the same candidates (baseUrl, paths targets, packages): each is checked once.
    this.host = {
      isFile: (filePath) => {
        let known = this.fileChecks.get(filePath);
        if (known === undefined) {
          known = this.isFileByListing(filePath, host) ?? host.isFile(filePath);
          this.fileChecks.set(filePath, known);
        }
        return known;
      },
      // package.json and tsconfig.json are looked for in many directories that have none.
      readFile: (filePath) => (this.host.isFile(filePath) ? host.readFile(filePath) : undefined),
      directories: (dirPath) => host.directories(dirPath),
    };
  }

  /** The workspace source file a specifier names from `fromFile`, or undefined when unknown. */
  resolve(fromFile: string, specifier: string): string | undefined {
    const fromDir = path.dirname(fromFile);
    const relative = specifier.startsWith('.') || path.isAbsolute(specifier);
    // A bare specifier resolves the same way from every directory that shares a tsconfig.
    const key = relative ? `${fromDir}\u0000${specifier}` : `bare\u0000${this.pathsConfigFor(fromDir)?.base ?? ''}\u0000${specifier}`;
    const cached = this.resolved.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let result: string | undefined;
    try {
      result = this.resolveUncached(fromDir, specifier);
    } catch {
      result = undefined;
    }
    this.resolved.set(key, result ?? null);
    return result;
  }

  /** Forgets cached answers (a file or a config was added, removed or changed). */
  invalidate(): void {
    this.resolved.clear();
    this.fileChecks.clear();
    this.listings.clear();
    this.configByDir.clear();
    this.packages = undefined;
  }

  /**
   * `isFile` from the directory's listing, read once: most candidates tried do not exist, and one listing answers
   * them all. Undefined (ask the file system) for a link, or for a name that only a case-insensitive or normalizing
   * file system could match (differently cased, or not ASCII).
   */
  private isFileByListing(filePath: string, host: ResolverHost): boolean | undefined {
    if (!host.listing) return undefined;
    const dir = path.dirname(filePath);
    let listing = this.listings.get(dir);
    if (listing === undefined) {
      const entries = host.listing(dir);
      listing = entries ? { entries, folded: new Set([...entries.keys()].map((name) => name.toLowerCase())) } : null;
      this.listings.set(dir, listing);
    }
    if (listing === null) return undefined;
    const name = path.basename(filePath);
    const entry = listing.entries.get(name);
    if (entry === 'file') return true;
    if (entry === 'other') return false;
    if (entry === 'link' || listing.folded.has(name.toLowerCase()) || !/^[\x20-\x7e]*$/.test(name)) return undefined;
    return false;
  }

  private resolveUncached(fromDir: string, specifier: string): string | undefined {
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return this.fileOrDirectory(path.resolve(fromDir, specifier));
    const config = this.pathsConfigFor(fromDir);
    if (config) {
      const viaPaths = this.throughPaths(config, specifier);
      if (viaPaths) return viaPaths;
    }
    const viaPackage = this.throughWorkspacePackage(specifier);
    if (viaPackage) return viaPackage;
    if (config?.baseUrl) return this.fileOrDirectory(path.resolve(config.baseUrl, specifier));
    return undefined;
  }

  /** `base` as a file (with source extensions tried), or as a directory with a package.json or an index file. */
  private fileOrDirectory(base: string): string | undefined {
    return this.asFile(base) ?? this.asDirectory(base);
  }

  private asFile(base: string): string | undefined {
    const extension = path.extname(base);
    for (const source of SOURCE_OF[extension] ?? []) {
      const candidate = base.slice(0, -extension.length) + source;
      if (this.host.isFile(candidate)) return candidate;
    }
    if (SOURCE_EXTENSIONS.includes(extension) && this.host.isFile(base)) return base;
    for (const candidateExtension of SOURCE_EXTENSIONS) {
      const candidate = base + candidateExtension;
      if (this.host.isFile(candidate)) return candidate;
    }
    return undefined;
  }

  private asDirectory(dir: string): string | undefined {
    const manifest = this.readManifest(path.join(dir, 'package.json'));
    if (manifest) {
      const entry = this.packageEntry(dir, manifest, '.');
      if (entry) return entry;
    }
    return this.asFile(path.join(dir, 'index'));
  }

  // tsconfig / jsconfig ---------------------------------------------------------------------------------

  private pathsConfigFor(dir: string): PathsConfig | undefined {
    const cached = this.configByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let config: PathsConfig | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(dir, name);
      if (this.host.isFile(file)) {
        config = this.readPathsConfig(file);
        break;
      }
    }
    if (!config) {
      const parent = path.dirname(dir);
      config = parent !== dir && this.insideRoots(parent) ? this.pathsConfigFor(parent) : undefined;
    }
    this.configByDir.set(dir, config ?? null);
    return config;
  }

  private insideRoots(dir: string): boolean {
    const resolved = path.resolve(dir);
    return this.roots.some((root) => {
      const base = path.resolve(root);
      return resolved === base || resolved.startsWith(base.endsWith(path.sep) ? base : base + path.sep);
    });
  }

  /** compilerOptions `baseUrl` and `paths`, following relative `extends` (nearest definition wins). */
  private readPathsConfig(file: string): PathsConfig | undefined {
    let baseUrl: string | undefined;
    let paths: [string, string[]][] | undefined;
    let pathsDir: string | undefined;
    let current: string | undefined = file;
    const seen = new Set<string>();
    for (let depth = 0; current && depth < MAX_EXTENDS && !seen.has(current); depth++) {
      seen.add(current);
      const text = this.host.readFile(current);
      if (text === undefined) break;
      const parsed = ts.parseConfigFileTextToJson(current, text);
      const json: unknown = parsed.config;
      if (!isRecord(json)) break;
      const options = isRecord(json.compilerOptions) ? json.compilerOptions : {};
      if (baseUrl === undefined && typeof options.baseUrl === 'string') baseUrl = path.resolve(path.dirname(current), options.baseUrl);
      if (paths === undefined && isRecord(options.paths)) {
        paths = Object.entries(options.paths)
          .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
          .map(([pattern, targets]) => [pattern, targets.filter((target): target is string => typeof target === 'string')]);
        pathsDir = path.dirname(current);
      }
      current = typeof json.extends === 'string' && json.extends.startsWith('.')
        ? withJsonExtension(path.resolve(path.dirname(current), json.extends))
        : undefined;
    }
    if (baseUrl === undefined && paths === undefined) return undefined;
    return { base: baseUrl ?? pathsDir ?? path.dirname(file), baseUrl, paths: paths ?? [] };
  }

  private throughPaths(config: PathsConfig, specifier: string): string | undefined {
    let best: { star: string; targets: string[]; prefixLength: number } | undefined;
    for (const [pattern, targets] of config.paths) {
      const star = pattern.indexOf('*');
      if (star < 0) {
        if (pattern === specifier) return this.firstTarget(config, targets, '');
        continue;
      }
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) continue;
      if (!best || prefix.length > best.prefixLength) {
        best = { star: specifier.slice(prefix.length, specifier.length - suffix.length), targets, prefixLength: prefix.length };
      }
    }
    return best ? this.firstTarget(config, best.targets, best.star) : undefined;
  }

  private firstTarget(config: PathsConfig, targets: readonly string[], star: string): string | undefined {
    for (const target of targets) {
      const found = this.fileOrDirectory(path.resolve(config.base, target.replace('*', star)));
      if (found) return found;
    }
    return undefined;
  }

  // Workspace packages ----------------------------------------------------------------------------------

  private throughWorkspacePackage(specifier: string): string | undefined {
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLength).join('/');
    const found = this.workspacePackages().get(name);
    if (!found) return undefined;
    const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
    return this.packageEntry(found.dir, found.manifest, subpath) ?? (subpath !== '.' ? this.fileOrDirectory(path.join(found.dir, subpath)) : undefined);
  }

  private workspacePackages(): Map<string, WorkspacePackage> {
    if (this.packages) return this.packages;
    const packages = new Map<string, WorkspacePackage>();
    for (const root of this.roots) {
      const manifest = this.readManifest(path.join(root, 'package.json'));
      for (const pattern of [...workspacePatterns(manifest), ...this.pnpmPatterns(root)]) {
        for (const dir of this.expandPattern(root, pattern)) {
          const member = this.readManifest(path.join(dir, 'package.json'));
          if (member && typeof member.name === 'string' && !packages.has(member.name)) packages.set(member.name, { dir, manifest: member });
        }
      }
    }
    this.packages = packages;
    return packages;
  }

  /** `packages:` entries of pnpm-workspace.yaml, read line by line (no YAML parser needed for this list). */
  private pnpmPatterns(root: string): string[] {
    const text = this.host.readFile(path.join(root, 'pnpm-workspace.yaml'));
    if (!text) return [];
    const patterns: string[] = [];
    for (const line of text.split(/\r?\n/)) {
      const match = /^\s*-\s*['"]?([^'"#\s]+)['"]?\s*$/.exec(line);
      if (match && !match[1].startsWith('!')) patterns.push(match[1]);
    }
    return patterns;
  }

  /** `packages/*`, `apps/**`, `libs/core`: directories only, at most two levels of wildcard. */
  private expandPattern(root: string, pattern: string): string[] {
    const segments = pattern.replace(/\/+$/, '').split('/').filter((segment) => segment !== '' && segment !== '.');
    let dirs = [root];
    for (const segment of segments) {
      const next: string[] = [];
      for (const dir of dirs) {
        if (segment === '*' || segment === '**') {
          for (const child of this.host.directories(dir)) {
            if (child === 'node_modules' || child.startsWith('.')) continue;
            next.push(path.join(dir, child));
            if (segment === '**') for (const grandChild of this.host.directories(path.join(dir, child))) {
              if (grandChild !== 'node_modules' && !grandChild.startsWith('.')) next.push(path.join(dir, child, grandChild));
            }
          }
        } else if (!segment.includes('*')) {
          next.push(path.join(dir, segment));
        }
      }
      dirs = next;
    }
    return dirs;
  }

  /**
   * The source behind a package entry: `exports` (conditions source/types/import/require/default), then
   * `source`/`module`/`main`, then `src/index`. Built outputs (`dist/`, `build/`, `lib/`) that do not exist in the
   * workspace are mapped back to `src/`.
   */
  private packageEntry(dir: string, manifest: PackageManifest, subpath: string): string | undefined {
    const targets: string[] = [];
    const fromExports = exportsTarget(manifest.exports, subpath);
    if (fromExports) targets.push(fromExports);
    if (subpath === '.') {
      for (const field of [manifest.source, manifest.module, manifest.main]) if (typeof field === 'string') targets.push(field);
      targets.push('src/index', 'index');
    }
    for (const target of targets) {
      const absolute = path.resolve(dir, target);
      const found = this.asFile(absolute) ?? this.asFile(stripDeclaration(absolute)) ?? this.asFile(toSourceDir(dir, absolute))
        ?? (target.startsWith('./') || !path.extname(target) ? this.asDirectory(absolute) : undefined);
      if (found) return found;
    }
    return undefined;
  }

  private readManifest(file: string): PackageManifest | undefined {
    const text = this.host.readFile(file);
    if (text === undefined) return undefined;
    try {
      const json: unknown = JSON.parse(text);
      return isRecord(json) ? (json as PackageManifest) : undefined;
    } catch {
      return undefined;
    }
  }
}

function workspacePatterns(manifest: PackageManifest | undefined): string[] {
  const value = manifest?.workspaces;
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.packages) ? value.packages : [];
  return list.filter((entry): entry is string => typeof entry === 'string' && !entry.startsWith('!'));
}

const CONDITIONS = ['source', 'types', 'import', 'require', 'node', 'default'];

/** The target of `subpath` in an `exports` field (string, conditions, subpath map with `*`). */
function exportsTarget(exportsField: unknown, subpath: string): string | undefined {
  if (typeof exportsField === 'string') return subpath === '.' ? exportsField : undefined;
  if (!isRecord(exportsField)) return undefined;
  const keys = Object.keys(exportsField);
  if (keys.length > 0 && !keys[0].startsWith('.')) return subpath === '.' ? conditionTarget(exportsField) : undefined;
  if (Object.prototype.hasOwnProperty.call(exportsField, subpath)) return conditionTarget(exportsField[subpath]);
  for (const key of keys) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      const target = conditionTarget(exportsField[key]);
      return target?.replace('*', subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}

function conditionTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  for (const condition of CONDITIONS) {
    if (!Object.prototype.hasOwnProperty.call(value, condition)) continue;
    const found = conditionTarget(value[condition]);
    if (found) return found;
  }
  return undefined;
}

/** `dist/index.d.ts` → `dist/index` (a types entry points at the same module as its source). */
function stripDeclaration(file: string): string {
  return file.replace(/\.d\.(c|m)?ts$/, '');
}

/** `<pkg>/dist/x.js` → `<pkg>/src/x.js` (the build output of a workspace package is often absent). */
function toSourceDir(dir: string, file: string): string {
  const relative = path.relative(dir, stripDeclaration(file));
  const [first, ...rest] = relative.split(path.sep);
  return ['dist', 'build', 'lib', 'out'].includes(first) ? path.join(dir, 'src', ...rest) : file;
}

function withJsonExtension(file: string): string {
  return file.endsWith('.json') ? file : `${file}.json`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
