import * as path from 'node:path';
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { filePathOf, isFileUri } from './documents';

/** The editor's workspace folders that live on disk, by path. */
export class WorkspaceFolders {
  private readonly roots = new Map<string, string>();

  set(folders: readonly WorkspaceFolder[] | null | undefined): void {
    this.roots.clear();
    this.add(folders ?? []);
  }

  add(folders: readonly WorkspaceFolder[]): void {
    for (const folder of folders) {
      if (isFileUri(folder.uri)) this.roots.set(folder.uri, filePathOf(folder.uri));
    }
  }

  remove(folders: readonly WorkspaceFolder[]): void {
    for (const folder of folders) this.roots.delete(folder.uri);
  }

  /** Paths of every workspace folder on disk. */
  all(): string[] {
    return [...this.roots.values()];
  }

  /** The innermost workspace folder holding `filePath`, if any. */
  rootOf(filePath: string): string | undefined {
    let best: string | undefined;
    for (const root of this.roots.values()) {
      if (isInside(filePath, root) && (best === undefined || root.length > best.length)) best = root;
    }
    return best;
  }
}

function isInside(filePath: string, dir: string): boolean {
  const relative = path.relative(dir, filePath);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
