import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FailpathSettings } from '../engine';
import { isTestFile } from '../engine/environment';
import { looksGeneratedOrMinified } from '../engine/parse';
import { WorkspaceIndex, type WorkspaceSnapshot } from '../workspace';
import type { SourceFile } from './files';
import { decodeSource } from './sourceText';

/**
 * The cross-file index the CLI builds before analysis: every reviewed file is summarized up front (one parse
 * each); files outside the reviewed paths that an answer needs are read on demand. Test files, minified or
 * oversized files are not summarized.
 */

export interface BuiltIndex {
  index: WorkspaceIndex;
  /** Files summarized up front. */
  files: number;
  milliseconds: number;
}

export function buildWorkspaceIndex(files: readonly SourceFile[], cwd: string, settings: FailpathSettings): BuiltIndex {
  const started = performance.now();
  const index = new WorkspaceIndex(indexRoots(files, cwd), {
    externalModules: settings.externalModules,
    loadFile: (fileName) => readIndexable(fileName, settings.maxFileSize),
  });
  let summarized = 0;
  for (const file of files) {
    const text = readIndexable(file.path, settings.maxFileSize);
    if (text === undefined) continue;
    index.updateText(file.path, text);
    summarized++;
  }
  return { index, files: summarized, milliseconds: performance.now() - started };
}

/** An index rebuilt from plain data on a worker thread (files out of the reviewed paths are still read on demand there). */
export function indexFromSnapshot(snapshot: WorkspaceSnapshot, settings: FailpathSettings): WorkspaceIndex {
  return WorkspaceIndex.fromSnapshot(snapshot, { loadFile: (fileName) => readIndexable(fileName, settings.maxFileSize) });
}

/** Where tsconfig files and workspace packages are looked for: the working directory, and any reviewed path outside it. */
function indexRoots(files: readonly SourceFile[], cwd: string): string[] {
  const roots = new Set<string>([path.resolve(cwd)]);
  for (const file of files) {
    const relative = path.relative(cwd, file.path);
    if (relative.startsWith('..') || path.isAbsolute(relative)) roots.add(path.dirname(file.path));
  }
  return [...roots];
}

function readIndexable(fileName: string, maxFileSize: number): string | undefined {
  if (isTestFile(fileName) || /\.d\.(c|m)?ts$/i.test(fileName) || fileName.split(path.sep).includes('node_modules')) return undefined;
  try {
    if (fs.statSync(fileName).size > maxFileSize) return undefined;
    const decoded = decodeSource(fs.readFileSync(fileName));
    if ('error' in decoded || looksGeneratedOrMinified(decoded.text)) return undefined;
    return decoded.text;
  } catch {
    return undefined;
  }
}
