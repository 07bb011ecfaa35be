import type * as ts from 'typescript';
import type { Bindings } from './bindings';
import type { FileContext } from './types';

/**
 * Facts about a whole file, computed once per parse (or once per text) however many nodes ask for them. Rules
 * ask such questions per node (per handler, per catch block, per finding): computed each time, a scan of the
 * file per node makes large files cost quadratically. Each fact is named, and how often it was computed is
 * counted, so tests can hold "once per file" structurally instead of with a timer.
 */

const computations = new Map<string, number>();

function counted(name: string): void {
  computations.set(name, (computations.get(name) ?? 0) + 1);
}

/** A fact of the syntax tree, remembered for the life of the SourceFile (a new parse asks again). */
export function perParse<T>(name: string, compute: (sourceFile: ts.SourceFile) => T): (sourceFile: ts.SourceFile) => T {
  const cache = new WeakMap<ts.SourceFile, { value: T }>();
  return (sourceFile) => {
    const cached = cache.get(sourceFile);
    if (cached) return cached.value;
    counted(name);
    const value = compute(sourceFile);
    cache.set(sourceFile, { value });
    return value;
  };
}

/**
 * A fact of one node (a class, a function), remembered for the life of its tree. Keyed by tree first: an
 * incrementally updated tree reuses unchanged nodes, and a fact may depend on code around them that changed.
 */
export function perNode<N extends ts.Node, T>(name: string, compute: (node: N) => T): (node: N) => T {
  const caches = new WeakMap<ts.SourceFile, WeakMap<N, { value: T }>>();
  return (node) => {
    const sourceFile = node.getSourceFile();
    let cache = caches.get(sourceFile);
    if (!cache) {
      cache = new WeakMap();
      caches.set(sourceFile, cache);
    }
    const cached = cache.get(node);
    if (cached) return cached.value;
    counted(name);
    const value = compute(node);
    cache.set(node, { value });
    return value;
  };
}

/** A fact of the text alone (newline style, indentation unit), remembered for the last text asked about. */
export function perText<T>(name: string, compute: (text: string) => T): (text: string) => T {
  let lastText: string | undefined;
  let lastValue: T;
  return (text) => {
    if (text !== lastText) {
      counted(name);
      lastValue = compute(text);
      lastText = text;
    }
    return lastValue;
  };
}

/**
 * A fact of the analysis under way (its Bindings), remembered while no binding is added: a binding recorded later
 * (a client created in a function) may change it. Only the last answer is kept: one analysis runs at a time and all
 * its rules ask in turn (a WeakMap entry per file cost more than many of these facts).
 */
export function perAnalysis<T>(name: string, compute: (file: FileContext) => T): (file: FileContext) => T {
  let lastBindings: Bindings | undefined;
  let lastVersion = -1;
  let lastValue: T;
  return (file) => {
    if (file.bindings !== lastBindings || file.bindings.version !== lastVersion) {
      counted(name);
      lastValue = compute(file);
      lastBindings = file.bindings;
      lastVersion = file.bindings.version;
    }
    return lastValue;
  };
}

/** How many times each named fact has been computed since the process started (for tests). */
export function perFileComputations(): ReadonlyMap<string, number> {
  return new Map(computations);
}
