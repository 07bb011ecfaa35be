import type { ExternalKind, ModuleKnowledge } from './knowledge';

/** Facts about the project a file belongs to, read by the host (server or CLI) from the nearest package.json. */
export interface ProjectInfo {
  /** Declared dependency versions (dependencies and devDependencies), e.g. `{ express: '^4.19.2' }`. */
  dependencies: Readonly<Record<string, string>>;
}

export const EMPTY_PROJECT: ProjectInfo = { dependencies: {} };

/** Major version of a dependency from its declared range (`^4.19.2` gives 4); undefined when unknown. */
export function dependencyMajor(project: ProjectInfo, name: string): number | undefined {
  const range = Object.prototype.hasOwnProperty.call(project.dependencies, name) ? project.dependencies[name] : undefined;
  const match = range ? /(\d+)/.exec(range) : null;
  return match ? Number(match[1]) : undefined;
}

/** Where, in another file, an external call is made. */
export interface CrossFileSite {
  fileName: string;
  line: number;
  character: number;
  description: string;
}

export interface CrossFileExternalCall {
  kind: ExternalKind;
  module: string;
  knowledge: ModuleKnowledge;
  site: CrossFileSite;
  /** The other file catches the failure and throws an error of its own instead (its caller gets that error). */
  translated?: boolean;
  /**
   * Set when the call goes straight through a client instance created in another file (`api.get(url)` with
   * `export const api = axios.create({...})`): the call itself is the request, made with that instance's defaults.
   */
  client?: CrossFileClient;
}

export interface CrossFileClient {
  /** Whether the instance's defaults bound the wait (timeout or signal); undefined when that file does not show it. */
  bounded: boolean | undefined;
  baseURL?: string;
}

/** Whether an export of another file is, or installs, a rate limiter. */
export interface CrossFileLimiter {
  /** False when the index knows the export and everything it installs, and none of it limits requests. */
  limiter: boolean;
  site?: CrossFileSite;
}

/** A structured logger the project exports, and how to import it from a given file. */
export interface ProjectLogger {
  /** Specifier relative to the asking file, e.g. `../lib/logger` (extension dropped). */
  specifier: string;
  /** Exported name, or `default`. */
  name: string;
  style: 'pino' | 'winston';
  site: CrossFileSite;
}

/**
 * Knowledge of other workspace files, provided by the host when it has indexed the workspace.
 * The engine works without it (single-file analysis).
 */
export interface WorkspaceKnowledge {
  /** Changes whenever an answer may change (incremental analysis compares it). */
  readonly revision?: number;
  /** Whether calling `<imported>.<path>` from `moduleSpecifier` (as imported by `fromFile`) performs an external call. */
  externalCallOf(fromFile: string, moduleSpecifier: string, imported: string, path: readonly string[]): CrossFileExternalCall | undefined;
  /** Whether `<imported>` of `moduleSpecifier` is or installs a rate limiter; undefined when the index does not know it. */
  rateLimiterOf?(fromFile: string, moduleSpecifier: string, imported: string): CrossFileLimiter | undefined;
  /** The project's own exported structured logger nearest to `fromFile`, if there is one. */
  projectLogger?(fromFile: string): ProjectLogger | undefined;
}
