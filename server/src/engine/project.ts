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
}

/**
 * Knowledge of other workspace files, provided by the host when it has indexed the workspace.
 * The engine works without it (single-file analysis).
 */
export interface WorkspaceKnowledge {
  /** Whether calling `<imported>.<path>` from `moduleSpecifier` (as imported by `fromFile`) performs an external call. */
  externalCallOf(fromFile: string, moduleSpecifier: string, imported: string, path: readonly string[]): CrossFileExternalCall | undefined;
}
