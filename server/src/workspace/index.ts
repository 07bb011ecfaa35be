import * as path from 'node:path';
import type * as ts from 'typescript';
import { lookupModule, type ExternalKind } from '../engine/knowledge';
import { isLocalPathMember } from '../engine/external';
import { parseFile } from '../engine/parse';
import type {
  CrossFileExternalCall, CrossFileLimiter, CrossFileSite, ProjectLogger, WorkspaceKnowledge,
} from '../engine/project';
import { ModuleResolver, diskHost, type ResolverHost } from './resolve';
import { summarizeFile, type ExportFact, type FileSummary, type FunctionFacts, type ImportedCall, type Site } from './summary';

/**
 * The workspace index: one summary per file (plain data, no syntax trees), module resolution, and the answers
 * the engine asks for (`WorkspaceKnowledge`). Answers are memoized until the next update; chains of re-exports
 * and calls through other modules are followed to a bounded depth, and cycles end as "unknown".
 */

const MAX_DEPTH = 12;

export interface WorkspaceIndexOptions {
  externalModules?: Readonly<Record<string, ExternalKind>>;
  host?: ResolverHost;
  /**
   * Reads a workspace file that was not indexed up front, when an answer needs it (the CLI reviewing a subfolder
   * whose imports reach outside it). Undefined text means unreadable or not to be indexed.
   */
  loadFile?: (fileName: string) => string | undefined;
  /** Told of each summary made by `loadFile` or `addUnchangedFile` (the CLI shares them between worker threads). */
  onSummary?: (summary: FileSummary) => void;
}

/** Everything needed to rebuild an index elsewhere (a worker thread): plain, structured-clone-safe data. */
export interface WorkspaceSnapshot {
  roots: string[];
  externalModules: Record<string, ExternalKind>;
  summaries: FileSummary[];
}

type Answer = CrossFileExternalCall | null;

export class WorkspaceIndex implements WorkspaceKnowledge {
  private readonly summaries = new Map<string, FileSummary>();
  private readonly resolver: ModuleResolver;
  private readonly externalModules: Record<string, ExternalKind>;
  private readonly answers = new Map<string, Answer>();
  private readonly limiterAnswers = new Map<string, CrossFileLimiter | null>();
  private importers: Map<string, Set<string>> | undefined;
  private readonly loadFile: ((fileName: string) => string | undefined) | undefined;
  private readonly onSummary: ((summary: FileSummary) => void) | undefined;
  private readonly unloadable = new Set<string>();
  private answersRevision = 0;

  constructor(readonly roots: readonly string[], options: WorkspaceIndexOptions = {}) {
    this.resolver = new ModuleResolver(roots, options.host ?? diskHost);
    this.externalModules = { ...(options.externalModules ?? {}) };
    this.loadFile = options.loadFile;
    this.onSummary = options.onSummary;
  }

  static fromSnapshot(snapshot: WorkspaceSnapshot, options: Omit<WorkspaceIndexOptions, 'externalModules'> = {}): WorkspaceIndex {
    const index = new WorkspaceIndex(snapshot.roots, { ...options, externalModules: snapshot.externalModules });
    for (const summary of snapshot.summaries) index.summaries.set(summary.fileName, summary);
    return index;
  }

  snapshot(): WorkspaceSnapshot {
    return { roots: [...this.roots], externalModules: { ...this.externalModules }, summaries: [...this.summaries.values()] };
  }

  get revision(): number {
    return this.answersRevision;
  }

  get size(): number {
    return this.summaries.size;
  }

  has(fileName: string): boolean {
    return this.summaries.has(path.resolve(fileName));
  }

  summaryOf(fileName: string): FileSummary | undefined {
    return this.summaries.get(path.resolve(fileName));
  }

  /** Summarizes a file from its text (one parse). Returns whether what other files can learn from it changed. */
  updateText(fileName: string, text: string): boolean {
    return this.updateParsed(parseFile(path.resolve(fileName), text));
  }

  /** Summarizes a file from a tree already parsed (the analysis's own parse). */
  updateParsed(sourceFile: ts.SourceFile): boolean {
    const fileName = path.resolve(sourceFile.fileName);
    const summary = summarizeFile(sourceFile, this.externalModules);
    summary.fileName = fileName;
    return this.setSummary(summary);
  }

  /**
   * Adds the summary of a file that was on disk all along (the CLI, where no file appears or changes during a
   * run), from a tree already parsed. Unlike `updateParsed`, nothing learned so far is forgotten: an answer that
   * needed this file read it through `loadFile`, and got the same summary.
   */
  addUnchangedFile(sourceFile: ts.SourceFile): FileSummary {
    const fileName = path.resolve(sourceFile.fileName);
    const known = this.summaries.get(fileName);
    if (known) return known;
    const summary = summarizeFile(sourceFile, this.externalModules);
    summary.fileName = fileName;
    this.summaries.set(fileName, summary);
    this.importers = undefined;
    this.onSummary?.(summary);
    return summary;
  }

  /** Adds summaries of unchanged files made elsewhere (worker threads), on the same terms as `addUnchangedFile`. */
  addUnchangedSummaries(summaries: Iterable<FileSummary>): void {
    for (const summary of summaries) {
      if (!this.summaries.has(summary.fileName)) this.summaries.set(summary.fileName, summary);
    }
    this.importers = undefined;
  }

  setSummary(summary: FileSummary): boolean {
    const previous = this.summaries.get(summary.fileName);
    const isNew = previous === undefined;
    this.summaries.set(summary.fileName, summary);
    const changed = isNew || fingerprint(previous) !== fingerprint(summary);
    if (isNew) this.resolver.invalidate();
    if (changed || isNew) this.forgetAnswers();
    return changed;
  }

  remove(fileName: string): boolean {
    const removed = this.summaries.delete(path.resolve(fileName));
    if (removed) {
      this.resolver.invalidate();
      this.forgetAnswers();
    }
    return removed;
  }

  /** A config file (tsconfig, package.json) changed: resolution must be computed again. */
  resolutionChanged(): void {
    this.resolver.invalidate();
    this.forgetAnswers();
  }

  private forgetAnswers(): void {
    this.answersRevision++;
    this.answers.clear();
    this.limiterAnswers.clear();
    this.importers = undefined;
  }

  /** Files that import `fileName`, directly or through re-exports and calls, up to a bounded depth. */
  importersOf(fileName: string, transitive = true): string[] {
    const reverse = this.importerMap();
    const start = path.resolve(fileName);
    const found = new Set<string>();
    let frontier = [start];
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const file of frontier) {
        for (const importer of reverse.get(file) ?? []) {
          if (importer === start || found.has(importer)) continue;
          found.add(importer);
          next.push(importer);
        }
      }
      if (!transitive) break;
      frontier = next;
    }
    return [...found];
  }

  private importerMap(): Map<string, Set<string>> {
    if (this.importers) return this.importers;
    const reverse = new Map<string, Set<string>>();
    for (const summary of this.summaries.values()) {
      for (const specifier of summary.imports) {
        const target = this.resolver.resolve(summary.fileName, specifier);
        if (!target) continue;
        const set = reverse.get(target) ?? new Set<string>();
        set.add(summary.fileName);
        reverse.set(target, set);
      }
    }
    this.importers = reverse;
    return reverse;
  }

  // WorkspaceKnowledge -------------------------------------------------------------------------------------

  externalCallOf(fromFile: string, moduleSpecifier: string, imported: string, memberPath: readonly string[]): CrossFileExternalCall | undefined {
    const target = this.resolver.resolve(path.resolve(fromFile), moduleSpecifier);
    if (!target) return undefined;
    return this.answerFor(target, imported, memberPath, new Set()) ?? undefined;
  }

  rateLimiterOf(fromFile: string, moduleSpecifier: string, imported: string): CrossFileLimiter | undefined {
    const target = this.resolver.resolve(path.resolve(fromFile), moduleSpecifier);
    if (!target) return undefined;
    return this.limiterFor(target, imported, new Set()) ?? undefined;
  }

  projectLogger(fromFile: string): ProjectLogger | undefined {
    const from = path.resolve(fromFile);
    return nearestProjectLogger(this.summaries.values(), from, this.summaries.get(from));
  }

  /** The file's summary, read from disk (through `loadFile`) when it is not indexed yet. */
  summaryOrRead(fileName: string): FileSummary | undefined {
    return this.summaryOrLoad(path.resolve(fileName));
  }

  // Answers ------------------------------------------------------------------------------------------------

  /** The file's summary, read and summarized on first need when the index has a loader. */
  private summaryOrLoad(file: string): FileSummary | undefined {
    const known = this.summaries.get(file);
    if (known || !this.loadFile || this.unloadable.has(file)) return known;
    const text = this.loadFile(file);
    if (text === undefined) {
      this.unloadable.add(file);
      return undefined;
    }
    const summary = summarizeFile(parseFile(file, text), this.externalModules);
    summary.fileName = file;
    // Not `setSummary`: the file was already on disk, so no answer given so far can change.
    this.summaries.set(file, summary);
    this.importers = undefined;
    this.onSummary?.(summary);
    return summary;
  }

  private answerFor(file: string, name: string, memberPath: readonly string[], visiting: Set<string>): Answer {
    const key = `${file}\u0000${name}\u0000${memberPath.join('\u0001')}`;
    const cached = this.answers.get(key);
    if (cached !== undefined) return cached;
    if (visiting.has(key) || visiting.size > MAX_DEPTH * 4) return null;
    visiting.add(key);
    const answer = this.computeAnswer(file, name, memberPath, visiting);
    visiting.delete(key);
    this.answers.set(key, answer);
    return answer;
  }

  private computeAnswer(file: string, name: string, memberPath: readonly string[], visiting: Set<string>): Answer {
    if (name === '*') return memberPath.length > 0 ? this.answerFor(file, memberPath[0], memberPath.slice(1), visiting) : null;
    const found = this.exportOf(file, name, visiting);
    if (!found) {
      // CommonJS and default-import interop: `const svc = require('./svc'); svc.getUser()` with `exports.getUser = …`.
      return name === 'default' && memberPath.length > 0 ? this.answerFor(file, memberPath[0], memberPath.slice(1), visiting) : null;
    }
    const { fact, owner } = found;
    if (fact.from) {
      const target = this.resolver.resolve(owner, fact.from.specifier);
      if (!target) return null;
      const nextPath = fact.from.instance ? ['prototype', ...memberPath] : memberPath;
      return this.answerFor(target, fact.from.imported, nextPath, visiting);
    }
    if (fact.client) return this.clientCall(owner, fact, memberPath);
    const facts = factsAt(fact, memberPath);
    if (!facts && name === 'default' && memberPath.length > 0) return this.answerFor(file, memberPath[0], memberPath.slice(1), visiting);
    return facts ? this.functionAnswer(owner, facts, visiting) : null;
  }

  /** The export named `name` of `file`, through `export *` of other modules; with the file that declares it. */
  private exportOf(file: string, name: string, visiting: Set<string>): { fact: ExportFact; owner: string } | undefined {
    const summary = this.summaryOrLoad(file);
    if (!summary) return undefined;
    if (Object.prototype.hasOwnProperty.call(summary.exports, name)) return { fact: summary.exports[name], owner: file };
    if (name === 'default') return undefined;
    for (const specifier of summary.starExports) {
      const target = this.resolver.resolve(file, specifier);
      const key = `star\u0000${target ?? ''}\u0000${name}`;
      if (!target || visiting.has(key)) continue;
      visiting.add(key);
      const found = this.exportOf(target, name, visiting);
      visiting.delete(key);
      if (found) return found;
    }
    return undefined;
  }

  private clientCall(owner: string, fact: ExportFact, memberPath: readonly string[]): Answer {
    const client = fact.client;
    if (!client) return null;
    const knowledge = lookupModule(client.module, this.externalModules);
    if (!knowledge) return null;
    if (memberPath.length === 0 && !knowledge.callableIsRequest && knowledge.kind !== 'db') return null;
    if (memberPath.length > 0 && isLocalPathMember(memberPath, knowledge)) return null;
    return {
      kind: knowledge.kind,
      module: client.module,
      knowledge,
      site: siteIn(owner, client.site, `${client.module} client created here${describeBounded(client.bounded, client.http !== undefined)}`),
      client: { bounded: client.bounded, baseURL: client.baseURL },
    };
  }

  private functionAnswer(owner: string, facts: FunctionFacts, visiting: Set<string>): Answer {
    if (facts.external && !facts.external.translated) {
      const knowledge = lookupModule(facts.external.module, this.externalModules)
        ?? (facts.external.module === 'fetch' ? { kind: 'http' as const, http: 'fetch' as const, callableIsRequest: true } : undefined);
      if (knowledge) {
        return {
          kind: facts.external.kind,
          module: facts.external.module,
          knowledge,
          site: siteIn(owner, facts.external.site, `\`${facts.external.site.text}\` (${facts.external.kind}, ${facts.external.module}) is made here`),
        };
      }
    }
    let translated: Answer = null;
    for (const call of facts.calls ?? []) {
      const answer = this.importedCallAnswer(owner, call, visiting);
      if (answer && !call.translated && !answer.translated) return answer;
      if (answer && !translated) translated = { ...answer, translated: true };
    }
    if (translated) return translated;
    if (facts.external) {
      const knowledge = lookupModule(facts.external.module, this.externalModules)
        ?? (facts.external.module === 'fetch' ? { kind: 'http' as const, http: 'fetch' as const, callableIsRequest: true } : undefined);
      if (knowledge) {
        return {
          kind: facts.external.kind, module: facts.external.module, knowledge, translated: true,
          site: siteIn(owner, facts.external.site, `\`${facts.external.site.text}\` (${facts.external.kind}, ${facts.external.module}) is made here; its failure is rethrown as another error`),
        };
      }
    }
    return null;
  }

  private importedCallAnswer(owner: string, call: ImportedCall, visiting: Set<string>): Answer {
    const target = this.resolver.resolve(owner, call.specifier);
    if (!target) return null;
    const inner = this.answerFor(target, call.imported, call.path, visiting);
    if (!inner) return null;
    if (!inner.client) return inner;
    // Through a client created elsewhere, the request is made at this call: point there, not at the creation.
    return {
      kind: inner.kind, module: inner.module, knowledge: inner.knowledge, ...(call.translated ? { translated: true } : {}),
      site: siteIn(owner, call.site, `\`${call.site.text}\` (${inner.kind}, ${inner.module}) is made here`),
    };
  }

  private limiterFor(file: string, name: string, visiting: Set<string>): CrossFileLimiter | null {
    const key = `${file}\u0000${name}`;
    const cached = this.limiterAnswers.get(key);
    if (cached !== undefined) return cached;
    if (visiting.has(key) || visiting.size > MAX_DEPTH * 4) return null;
    visiting.add(key);
    const answer = this.computeLimiter(file, name, visiting);
    visiting.delete(key);
    this.limiterAnswers.set(key, answer);
    return answer;
  }

  private computeLimiter(file: string, name: string, visiting: Set<string>): CrossFileLimiter | null {
    const found = this.exportOf(file, name, visiting);
    if (!found) return null;
    const { fact, owner } = found;
    if (fact.from) {
      const target = this.resolver.resolve(owner, fact.from.specifier);
      return target ? this.limiterFor(target, fact.from.imported, visiting) : null;
    }
    if (fact.limiter) return { limiter: true, site: siteIn(owner, fact.limiter, `rate limiter: \`${fact.limiter.text}\``) };
    let allKnown = true;
    for (const mount of fact.mounts ?? []) {
      const target = this.resolver.resolve(owner, mount.specifier);
      const inner = target ? this.limiterFor(target, mount.imported, visiting) : null;
      if (inner?.limiter) return inner;
      if (!inner) allKnown = false;
    }
    return allKnown ? { limiter: false } : null;
  }
}

/**
 * The exported structured logger among `summaries` nearest to `from` (ties: the first found, preferring one named
 * `logger`), as the file would import it; `fromSummary` is the asking file's own summary, if it is indexed.
 */
export function nearestProjectLogger(summaries: Iterable<FileSummary>, from: string, fromSummary: FileSummary | undefined): ProjectLogger | undefined {
  let best: { summary: FileSummary; name: string; style: 'pino' | 'winston'; distance: number } | undefined;
  for (const summary of summaries) {
    if (summary.fileName === from) continue;
    for (const [name, fact] of Object.entries(summary.exports)) {
      if (!fact.logger) continue;
      const distance = directoryDistance(path.dirname(from), summary.fileName);
      if (distance === undefined) continue;
      const better = !best || distance < best.distance || (distance === best.distance && name === 'logger' && best.name !== 'logger');
      if (better) best = { summary, name, style: fact.logger, distance };
    }
  }
  if (!best) return undefined;
  // ES modules resolved the Node way (`"type": "module"`, NodeNext) import `./x.js`: follow the file's own habit.
  const writesExtensions = fromSummary?.imports.some((specifier) => specifier.startsWith('.') && /\.(c|m)?js$/.test(specifier)) === true;
  const specifier = relativeSpecifier(from, best.summary.fileName);
  return {
    specifier: writesExtensions ? `${specifier}${best.summary.fileName.endsWith('/index.ts') && !specifier.endsWith('/index') ? '/index' : ''}.js` : specifier,
    name: best.name,
    style: best.style,
    site: { fileName: best.summary.fileName, line: 0, character: 0, description: `the project's logger exported from ${path.basename(best.summary.fileName)}` },
  };
}

function factsAt(fact: ExportFact, memberPath: readonly string[]): FunctionFacts | undefined {
  if (memberPath.length === 0) return fact.fn;
  if (memberPath[0] === 'prototype') return memberPath.length === 2 ? own(fact.prototype, memberPath[1]) : undefined;
  return memberPath.length === 1 ? own(fact.members, memberPath[0]) : undefined;
}

function own(record: Record<string, FunctionFacts> | undefined, key: string): FunctionFacts | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function siteIn(fileName: string, site: Site, description: string): CrossFileSite {
  return { fileName, line: site.line, character: site.character, description };
}

function describeBounded(bounded: boolean | undefined, isHttp: boolean): string {
  if (!isHttp) return '';
  if (bounded === true) return ' with a timeout';
  if (bounded === false) return ' without a timeout';
  return '';
}

/** What changes answers for other files: exports and re-exports, not positions inside function bodies. */
function fingerprint(summary: FileSummary | undefined): string {
  if (!summary) return '';
  return JSON.stringify([summary.exports, summary.starExports, summary.imports]);
}

/** How far apart two places are in the tree (steps up from `fromDir` plus steps down to the file; undefined on another drive). */
export function directoryDistance(fromDir: string, file: string): number | undefined {
  const relative = path.relative(fromDir, path.dirname(file));
  if (path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep).filter((part) => part !== '');
  return parts.length;
}

/** `./lib/logger`, `../logger`: a relative import specifier without the source extension. */
export function relativeSpecifier(fromFile: string, targetFile: string): string {
  let relative = path.relative(path.dirname(fromFile), targetFile).split(path.sep).join('/');
  relative = relative.replace(/\.(c|m)?[jt]sx?$/, '');
  if (relative.endsWith('/index')) relative = relative.slice(0, -'/index'.length);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
