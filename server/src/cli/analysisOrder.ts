import * as fs from 'node:fs';
import { ModuleResolver } from '../workspace/resolve';
import type { SourceFile } from './files';
import { namesLoggerModule } from './workspaceIndex';

/**
 * The order in which a run with a growing index analyzes its files: the files a file imports before it (as far as
 * a quick look at its imports tells), so that the index has summarized them from their own analysis by the time
 * an answer needs them, instead of reading and parsing them ahead. Only speed depends on this order: an answer is
 * the same whether the file it needs was summarized before or is read then.
 */

/** Imports are looked for in the head of each file; a `require` further down only costs a file read ahead. */
const HEAD_BYTES = 64 * 1024;
const SPECIFIER = /(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*['"]([^'"\n]{1,300})['"]/g;

export interface AnalysisPlan {
  /** Positions in `files`, each once: dependencies first (depth first, cycles cut where met), otherwise in path order. */
  order: number[];
  /**
   * Whether another reviewed file imports the file at each position (as far as the same quick look tells). Only
   * those need a summary for the index; a file missed here is read when an answer needs it, with the same answer.
   */
  imported: boolean[];
  /** The files that name a logger module (the only ones that can export the project's logger; see GrowingIndex). */
  loggerFiles: string[];
}

export function planAnalysis(files: readonly SourceFile[], roots: readonly string[]): AnalysisPlan {
  const position = new Map<string, number>();
  files.forEach((file, index) => position.set(file.path, index));
  const resolver = new ModuleResolver(roots);
  const imported = new Array<boolean>(files.length).fill(false);
  const namesLogger = new Array<boolean>(files.length).fill(false);
  const dependencies = (index: number): number[] => {
    const found: number[] = [];
    const scanned = scanFile(files[index].path);
    namesLogger[index] = scanned.namesLogger;
    for (const specifier of scanned.specifiers) {
      const target = resolver.resolve(files[index].path, specifier);
      const targetIndex = target === undefined ? undefined : position.get(target);
      if (targetIndex !== undefined && targetIndex !== index) {
        found.push(targetIndex);
        imported[targetIndex] = true;
      }
    }
    return found;
  };

  const order: number[] = [];
  const state = new Uint8Array(files.length); // 0 new, 1 on the stack, 2 placed
  for (let start = 0; start < files.length; start++) {
    if (state[start] !== 0) continue;
    // Iterative depth-first walk: a long chain of imports must not overflow the call stack.
    const stack: { index: number; pending: number[] }[] = [{ index: start, pending: dependencies(start) }];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const next = top.pending.pop();
      if (next === undefined) {
        stack.pop();
        state[top.index] = 2;
        order.push(top.index);
      } else if (state[next] === 0) {
        state[next] = 1;
        stack.push({ index: next, pending: dependencies(next) });
      }
    }
  }
  return { order, imported, loggerFiles: files.filter((_, index) => namesLogger[index]).map((file) => file.path) };
}

/** What the scan reads of one file: its import specifiers (last first), and whether it names a logger module. */
function scanFile(file: string): { specifiers: string[]; namesLogger: boolean } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { specifiers: [], namesLogger: false };
  }
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, HEAD_BYTES));
  const specifiers: string[] = [];
  for (const match of head.matchAll(SPECIFIER)) specifiers.push(match[1]);
  // `pending.pop()` takes the last: reverse, so the first import is walked first.
  return { specifiers: specifiers.reverse(), namesLogger: namesLoggerModule(file, bytes) };
}
