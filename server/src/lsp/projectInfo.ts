import * as path from 'node:path';
import type { ProjectInfo } from '../engine/project';
import { readProjectInfo } from '../host/projectConfig';

/**
 * Dependency versions from the nearest package.json, cached per directory: every file of a folder shares one
 * read. Any package.json change empties the cache (a change can move which package.json is nearest).
 */
export class ProjectInfoCache {
  private readonly byDirectory = new Map<string, ProjectInfo>();

  get(filePath: string, workspaceRoot: string | undefined): ProjectInfo {
    const key = `${path.dirname(filePath)}\u0000${workspaceRoot ?? ''}`;
    let info = this.byDirectory.get(key);
    if (!info) {
      info = readProjectInfo(filePath, workspaceRoot);
      this.byDirectory.set(key, info);
    }
    return info;
  }

  clear(): void {
    this.byDirectory.clear();
  }
}
