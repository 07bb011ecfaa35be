import * as ts from 'typescript';
import type { Finding, Fix, NodeHandler, ReportDescriptor, Rule, RuleContext, RuleVisitor, FileContext, Severity, TextEdit } from './types';
import { defaultSettings, type FailpathSettings } from './settings';
import { Bindings } from './bindings';
import { ExternalCalls } from './external';
import { EMPTY_PROJECT, type ProjectInfo, type WorkspaceKnowledge } from './project';
import { changeSince, isJavaScriptFile, looksGeneratedOrMinified, parseFile, usesEsmSyntax } from './parse';
import { Suppressions } from './suppressions';
import { isBrowserCode, isTestFile } from './environment';
import { applyEdits, indentUnit, newlineOf, preferredQuote } from './fixkit';
import { semicolonStyleOf } from './errorflow';
import {
  bindingTextOf, bindingsKey, incrementalCounts, insideBody, isOutsideEdit, keptFinding, wordOccurrences, movedFinding, shapeOf, statementIndexAt,
  type IncrementalState, type KeptFinding, type StatementRecord, type StatementReplay, type StatementShape, type TextChange,
} from './incremental';
import { isBrowserScript } from './fileRole';
import { syntaxErrorCount, withoutUnsafeFixes } from './fixSafety';
import { ALL_RULES } from '../rules';

export * from './types';
export type { IncrementalState } from './incremental';
export { defaultSettings, normalizeSettings, type FailpathSettings } from './settings';
export { applyEdits } from './fixkit';
export { ALL_RULES } from '../rules';

export interface AnalyzeOptions {
  settings?: FailpathSettings;
  project?: ProjectInfo;
  workspace?: WorkspaceKnowledge;
  /** Rules to run; every rule by default. */
  rules?: readonly Rule[];
  /** Analysis stops and the file is reported as skipped past this many milliseconds. */
  timeBudgetMs?: number;
  /** Analyze even minified or generated-looking files (the CLI's explicit file arguments). */
  includeGenerated?: boolean;
  /** Analyze test files too (`*.test.ts`, `__tests__/`); by default they are not production code and get no findings. */
  includeTests?: boolean;
  /** Called with the file's syntax tree right after the parse (the workspace index summarizes the same parse). */
  onParsed?: (sourceFile: ts.SourceFile) => void;
  /**
   * The tree of `text`, already parsed (the server updates its last tree incrementally on each edit). Used only
   * when it is a tree of this very text and file name, with parent pointers; otherwise the text is parsed.
   */
  sourceFile?: ts.SourceFile;
  /**
   * Keep what the next analysis of this document needs to analyze only what an edit touched (the editor). The
   * result then carries `state`; hand it back as `previous` with the next version's text and tree.
   */
  incremental?: boolean;
  /** The `state` of the previous analysis of the same document (with `incremental`). */
  previous?: IncrementalState;
}

export interface RuleError {
  ruleId: string;
  message: string;
  stack?: string;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Set when the file was not analyzed (too large, minified, too slow), with the reason in words. */
  skipped?: string;
  ruleErrors: RuleError[];
  /** With `incremental`: what the next analysis of this document starts from. */
  state?: IncrementalState;
}

const DEFAULT_TIME_BUDGET_MS = 5000;
const BUDGET_CHECK_INTERVAL = 2048;

/** Text in, findings with fixes out. Knows nothing of LSP or VS Code; never throws. */
export function analyze(fileName: string, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const settings = options.settings ?? defaultSettings();
  if (!settings.enable) return { findings: [], ruleErrors: [] };
  // A UTF-16 code unit takes at most 3 bytes in UTF-8: most texts need no byte count.
  const byteLength = text.length * 3 <= settings.maxFileSize ? 0 : Buffer.byteLength(text, 'utf8');
  if (byteLength > settings.maxFileSize) {
    return { findings: [], ruleErrors: [], skipped: `file is ${byteLength} bytes, over failpath.maxFileSize (${settings.maxFileSize})` };
  }
  if (isTestFile(fileName) && !options.includeTests) return { findings: [], ruleErrors: [] };
  if (!options.includeGenerated && looksGeneratedOrMinified(text)) {
    return { findings: [], ruleErrors: [], skipped: 'file looks minified or generated' };
  }
  try {
    return analyzeParsed(fileName, text, settings, options);
  } catch (error) {
    return { findings: [], ruleErrors: [], skipped: `analysis failed: ${describeError(error)}` };
  }
}

function analyzeParsed(fileName: string, text: string, settings: FailpathSettings, options: AnalyzeOptions): AnalysisResult {
  const given = options.sourceFile;
  const sourceFile = given && given.text === text && given.fileName === fileName && given.parent === undefined && given.statements.every((statement) => statement.parent === given)
    ? given : parseFile(fileName, text);
  options.onParsed?.(sourceFile);
  const bindings = new Bindings(settings.externalModules);
  bindings.collectTopLevel(sourceFile);
  const external = new ExternalCalls(bindings, fileName, options.workspace);
  external.collectFunctions(sourceFile);
  const file: FileContext = {
    fileName,
    text,
    sourceFile,
    settings,
    bindings,
    external,
    project: options.project ?? EMPTY_PROJECT,
    isJavaScript: isJavaScriptFile(fileName),
    isEsm: usesEsmSyntax(sourceFile, fileName),
    workspace: options.workspace,
  };
  const suppressions = new Suppressions(sourceFile);
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  const browserCode = isBrowserCode(file);
  const rules = options.rules ?? ALL_RULES;
  const candidates = browserCode ? rules.filter((rule) => rule.meta.reviewsBrowserCode === true) : rules;
  const active = activeRules(candidates, settings, suppressions);
  const contextKey = options.incremental ? incrementalContextKey(file, options, active, browserCode) : undefined;
  const reuse = options.previous && contextKey ? planReuse(options.previous, sourceFile, contextKey) : undefined;
  const handlers = new HandlerTable();
  const onEnds: { rule: ActiveRule; run: () => void }[] = [];

  const failRule = (rule: ActiveRule, error: unknown): void => {
    if (rule.failed) return;
    rule.failed = true;
    ruleErrors.push({ ruleId: rule.rule.meta.id, message: describeError(error), stack: error instanceof Error ? error.stack : undefined });
  };

  for (const rule of active) {
    const context = ruleContext(file, rule, findings);
    try {
      const visitor = rule.rule.create(context);
      handlers.add(rule, visitor);
      if (visitor.onEnd) onEnds.push({ rule, run: visitor.onEnd });
    } catch (error) {
      failRule(rule, error);
    }
  }

  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const walk = new Traversal(bindings, handlers, failRule, budget, options.incremental === true);
  const completed = walk.run(sourceFile, reuse?.kept);
  if (!completed) {
    return { findings: [], ruleErrors, skipped: `analysis took longer than ${budget} ms and was stopped` };
  }
  for (const { rule, run } of onEnds) {
    if (rule.failed) continue;
    try {
      run();
    } catch (error) {
      failRule(rule, error);
    }
  }
  const failed = new Set<string>();
  for (const rule of active) if (rule.failed) failed.add(rule.rule.meta.id);
  const fresh = failed.size === 0 ? findings : findings.filter((finding) => !failed.has(finding.ruleId));

  let all = fresh;
  let state: IncrementalState | undefined;
  if (contextKey) {
    const statementScope = new Set(active.filter((rule) => rule.rule.meta.scope === 'statement').map((rule) => rule.rule.meta.id));
    const outcome = keepForNextTime(sourceFile, contextKey, bindings, walk, fresh, statementScope, reuse, failed.size > 0);
    if (!outcome) {
      incrementalCounts.fullFallbacks++;
      // The edit changed something the kept findings depend on: analyze the whole file.
      return analyzeParsed(fileName, text, settings, { ...options, previous: undefined, sourceFile, onParsed: undefined });
    }
    all = outcome.findings;
    state = outcome.state;
  }
  const reported = all.filter((finding) => !suppressions.isSuppressed(finding.ruleId, finding.range.start.line));
  reported.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  const result: AnalysisResult = { findings: withoutUnsafeFixes(reported, sourceFile), ruleErrors };
  if (state) result.state = state;
  return result;
}

interface ActiveRule {
  rule: Rule;
  severity: Severity;
  failed: boolean;
}

function activeRules(rules: readonly Rule[], settings: FailpathSettings, suppressions: Suppressions): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of rules) {
    const configured = Object.prototype.hasOwnProperty.call(settings.rules, rule.meta.id) ? settings.rules[rule.meta.id] : undefined;
    const severity = configured ?? rule.meta.defaultSeverity;
    if (severity === 'off' || suppressions.isRuleOff(rule.meta.id)) continue;
    active.push({ rule, severity, failed: false });
  }
  return active;
}

interface HandlerEntry {
  rule: ActiveRule;
  handler: NodeHandler;
}

/** Rules' handlers by node kind, as arrays indexed by kind: every rule's, and the whole-file rules' alone. */
class HandlerTable {
  readonly all: (HandlerEntry[] | undefined)[] = [];
  readonly fileScope: (HandlerEntry[] | undefined)[] = [];

  add(rule: ActiveRule, visitor: RuleVisitor): void {
    const isFileScope = rule.rule.meta.scope !== 'statement';
    const kinds = visitor.kinds;
    for (const key of Object.keys(kinds)) {
      const kind = Number(key) as ts.SyntaxKind;
      const handler = kinds[kind];
      if (!handler) continue;
      const entry: HandlerEntry = { rule, handler };
      (this.all[kind] ??= []).push(entry);
      if (isFileScope) (this.fileScope[kind] ??= []).push(entry);
    }
  }
}

/**
 * One pre-order walk shared by every rule, on an explicit stack so deep nesting cannot overflow. Top-level
 * statements kept from the previous analysis are walked for whole-file rules only (or, when there are none, only
 * their bindings are replayed); the others are walked for every rule.
 */
class Traversal {
  private readonly stack: ts.Node[] = [];
  private readonly all: (HandlerEntry[] | undefined)[];
  private readonly fileScope: (HandlerEntry[] | undefined)[];
  /**
   * Children go onto the stack, except tokens (identifiers, keywords, literals) no rule handles: a token has no
   * children and binds nothing, so walking it would change nothing. Tokens are half the nodes of a tree.
   */
  private readonly push = (child: ts.Node): void => {
    if (child.kind > LAST_TOKEN || this.all[child.kind] !== undefined) this.stack.push(child);
  };
  private visited = 0;
  private started = 0;
  /**
   * Per top-level statement: the nodes, in walk order, that added a binding or that whole-file rules handle, so a
   * kept statement is replayed instead of walked; and whether any added a binding.
   */
  readonly replays = new Map<ts.Statement, StatementReplay>();

  constructor(
    private readonly bindings: Bindings,
    handlers: HandlerTable,
    private readonly failRule: (rule: ActiveRule, error: unknown) => void,
    private readonly budgetMs: number,
    private readonly remember: boolean,
  ) {
    this.all = handlers.all;
    this.fileScope = handlers.fileScope;
  }

  run(sourceFile: ts.SourceFile, kept: ReadonlyMap<ts.Statement, StatementRecord> | undefined): boolean {
    this.started = performance.now();
    this.visit(sourceFile, this.all);
    for (const statement of sourceFile.statements) {
      const record = kept?.get(statement);
      if (record) {
        this.replay(record.replay);
        this.replays.set(statement, record.replay);
      } else if (this.remember) {
        const replay: StatementReplay = { nodes: [], bindingNodes: [] };
        if (!this.walk(statement, replay)) return false;
        this.replays.set(statement, replay);
      } else if (!this.walk(statement, undefined)) {
        return false;
      }
    }
    return this.walk(sourceFile.endOfFileToken, undefined);
  }

  /** What walking a kept statement did: the same bindings, the same nodes handed to whole-file rules, in order. */
  private replay(replay: StatementReplay): void {
    for (const node of replay.nodes) {
      recordBinding(node, this.bindings);
      this.visit(node, this.fileScope);
    }
  }

  /** Pre-order, every rule's handlers; with `replay`, notes what a later replay of this statement needs. */
  private walk(root: ts.Node, replay: StatementReplay | undefined): boolean {
    const stack = this.stack;
    const table = this.all;
    stack.push(root);
    while (stack.length > 0) {
      const node = stack.pop() as ts.Node;
      if (++this.visited % BUDGET_CHECK_INTERVAL === 0 && performance.now() - this.started > this.budgetMs) {
        stack.length = 0;
        return false;
      }
      const kind = node.kind;
      const added = MAY_BIND[kind] === 1 && recordBinding(node, this.bindings);
      if (replay && (added || this.fileScope[kind])) {
        // A node no whole-file rule can use is not replayed (unless it bound something).
        if (this.visitNoting(node) || added) replay.nodes.push(node);
        if (added) replay.bindingNodes.push(node);
      } else if (table[kind] !== undefined) {
        this.visit(node, table);
      }
      if (kind <= LAST_TOKEN) continue;
      // Children go straight onto the stack, then that segment is reversed so the first child is visited first.
      const first = stack.length;
      ts.forEachChild(node, this.push);
      for (let low = first, high = stack.length - 1; low < high; low++, high--) {
        const swap = stack[low];
        stack[low] = stack[high];
        stack[high] = swap;
      }
    }
    return true;
  }

  /** `visit` with every rule's handlers; whether a whole-file rule's handler took the node (did not return false). */
  private visitNoting(node: ts.Node): boolean {
    const list = this.all[node.kind];
    if (!list) return false;
    let taken = false;
    for (const { rule, handler } of list) {
      if (rule.failed) continue;
      try {
        if (handler(node) !== false && rule.rule.meta.scope !== 'statement') taken = true;
      } catch (error) {
        this.failRule(rule, error);
      }
    }
    return taken;
  }

  private visit(node: ts.Node, table: (HandlerEntry[] | undefined)[]): void {
    const list = table[node.kind];
    if (!list) return;
    for (const { rule, handler } of list) {
      if (rule.failed) continue;
      try {
        handler(node);
      } catch (error) {
        this.failRule(rule, error);
      }
    }
  }
}

const LAST_TOKEN = ts.SyntaxKind.LastToken;

/** 1 for the node kinds `recordBinding` looks at; the walk asks this before calling it. */
const MAY_BIND: Uint8Array = (() => {
  const table = new Uint8Array(ts.SyntaxKind.Count);
  for (const kind of [ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.PropertyDeclaration, ts.SyntaxKind.Parameter, ts.SyntaxKind.BinaryExpression]) table[kind] = 1;
  return table;
})();

/** Clients created inside functions and classes become known to the code after them. Returns whether it added one. */
function recordBinding(node: ts.Node, bindings: Bindings): boolean {
  const before = bindings.version;
  switch (node.kind) {
    case ts.SyntaxKind.VariableDeclaration: {
      const declaration = node as ts.VariableDeclaration;
      if (declaration.initializer && declaration.parent.parent && !ts.isSourceFile(declaration.parent.parent.parent)) bindings.collectVariable(declaration);
      break;
    }
    case ts.SyntaxKind.PropertyDeclaration: {
      const property = node as ts.PropertyDeclaration;
      if (property.initializer && ts.isIdentifier(property.name)) bindings.collectMember(property.name.text, property.initializer, property);
      break;
    }
    case ts.SyntaxKind.Parameter:
      // Injected services (`constructor(private users: UsersService)`): answered by the workspace index, if any.
      if (ts.isConstructorDeclaration(node.parent)) bindings.collectParameterProperty(node as ts.ParameterDeclaration, { workspaceOnly: true });
      break;
    case ts.SyntaxKind.BinaryExpression: {
      const binary = node as ts.BinaryExpression;
      const left = binary.left;
      if (binary.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
        bindings.collectMember(left.name.text, binary.right, binary);
      }
      break;
    }
    default:
      return false;
  }
  return bindings.version !== before;
}

/** Everything besides the text that findings are computed from, for incremental analysis to compare. */
function incrementalContextKey(file: FileContext, options: AnalyzeOptions, active: readonly ActiveRule[], browserCode: boolean): unknown[] {
  const facts = active.map((rule) => rule.rule.meta.fileFacts?.(file) ?? '');
  return [
    file.settings, options.project, options.workspace, options.workspace?.revision, options.rules, browserCode, file.isEsm,
    isBrowserScript(file), active.map((rule) => `${rule.rule.meta.id}:${rule.severity}`).join(','), ...facts, ...fileStyleKey(file.text),
  ];
}

/** Whole-file style the fixes follow (quotes, semicolons, indentation, newlines). */
function fileStyleKey(text: string): string[] {
  return [preferredQuote(text), indentUnit(text), newlineOf(text), semicolonStyleOf(text) ? ';' : ''];
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

interface ReusePlan {
  previous: IncrementalState;
  change: TextChange;
  /** Statements whose findings are kept (walked for whole-file rules only). */
  kept: Map<ts.Statement, StatementRecord>;
  /** The new tree's statements the edit touched, with their shapes. */
  touched: Map<ts.Statement, StatementShape>;
  /** What the touched statements bound before the edit (the text of each binding, in order). */
  bindingsBefore: string;
}

/** Which top-level statements of the previous analysis are kept; undefined when the whole file must be analyzed. */
function planReuse(previous: IncrementalState, sourceFile: ts.SourceFile, contextKey: readonly unknown[]): ReusePlan | undefined {
  if (previous.fileName !== sourceFile.fileName || !sameKey(previous.contextKey, contextKey)) return undefined;
  const text = sourceFile.text;
  const change = changeSince(previous.text, sourceFile);
  const kept = new Map<ts.Statement, StatementRecord>();
  const touched = new Map<ts.Statement, StatementShape>();
  for (const statement of sourceFile.statements) {
    const record = previous.records.get(statement);
    if (record && isOutsideEdit(statement, change)) {
      if (!record.alwaysWalk) kept.set(statement, record);
    } else {
      touched.set(statement, shapeOf(statement, text));
    }
  }
  // No statement touched: the same text again (a version bump), or an edit only in the trivia at the end of the file.
  if (kept.size === 0 || (touched.size === 0 && previous.text !== text)) return undefined;
  const before = previous.statements.filter((statement) => !isKeptOrUnchanged(statement, previous, sourceFile, change)).map((statement) => previous.records.get(statement));
  if (before.some((record) => record === undefined)) return undefined;
  const skeletonBefore = before.map((record) => record?.shape.skeleton).join('');
  const skeletonAfter = [...touched.values()].map((shape) => shape.skeleton).join('');
  if (skeletonBefore !== skeletonAfter) return undefined;
  withdrawMentioningStatements(sourceFile, touched, kept);
  if (kept.size === 0) return undefined;
  const bindingsBefore = before.map((record) => record?.bindingText).join('\u0002');
  return { previous, change, kept, touched, bindingsBefore };
}

/**
 * Statements that mention a name a touched statement declares (a call of the edited function) are analyzed again,
 * not kept: their findings may depend on what the function's body does (awaits, throws, delays). So are, in turn,
 * statements that mention what those declare.
 */
function withdrawMentioningStatements(
  sourceFile: ts.SourceFile,
  touched: ReadonlyMap<ts.Statement, StatementShape>,
  kept: Map<ts.Statement, StatementRecord>,
): void {
  const text = sourceFile.text;
  const statements = sourceFile.statements;
  const names = [...touched.values()].flatMap((shape) => shape.declaredNames);
  const seen = new Set(names);
  while (names.length > 0) {
    const name = names.pop() as string;
    for (const offset of wordOccurrences(text, name)) {
      const index = statementIndexAt(statements, offset);
      const statement = index < 0 ? undefined : statements[index];
      const record = statement && kept.get(statement);
      if (!statement || !record) continue;
      kept.delete(statement);
      for (const declared of record.shape.declaredNames) {
        if (!seen.has(declared)) {
          seen.add(declared);
          names.push(declared);
        }
      }
    }
  }
}

/** A statement of the previous analysis that is also in the new tree, outside the edit. */
function isKeptOrUnchanged(statement: ts.Statement, previous: IncrementalState, sourceFile: ts.SourceFile, change: TextChange): boolean {
  return statement.parent === sourceFile && previous.records.has(statement) && isOutsideEdit(statement, change);
}

/**
 * The findings of this analysis (new ones plus those kept from the previous one, moved) and the state for the next,
 * or undefined when the kept findings cannot be trusted and the file must be analyzed in full.
 */
function keepForNextTime(
  sourceFile: ts.SourceFile,
  contextKey: readonly unknown[],
  bindings: Bindings,
  walk: Traversal,
  fresh: readonly Finding[],
  statementScope: ReadonlySet<string>,
  reuse: ReusePlan | undefined,
  anyRuleFailed: boolean,
): { findings: Finding[]; state: IncrementalState | undefined } | undefined {
  const text = sourceFile.text;
  const currentBindings = bindingsKey(bindings, text);
  const statements = sourceFile.statements;
  const records = new Map<ts.Statement, StatementRecord>();
  const findings: Finding[] = [...fresh];
  if (reuse) {
    if (anyRuleFailed || currentBindings !== reuse.previous.bindingsKey) return undefined;
    // The touched statements must bind the same clients in the same order: then every kept statement saw the same.
    const bindingsAfter = [...reuse.touched.keys()].map((statement) => bindingTextOf(walk.replays.get(statement) ?? { nodes: [], bindingNodes: [] }, text));
    if (bindingsAfter.join('\u0002') !== reuse.bindingsBefore) return undefined;
    for (const [statement, record] of reuse.kept) {
      const moved: KeptFinding[] = [];
      for (const kept of record.findings) {
        const finding = movedFinding(kept, reuse.change, sourceFile);
        if (!finding) return undefined;
        moved.push(finding);
        findings.push(finding.finding);
      }
      records.set(statement, { shape: record.shape, alwaysWalk: record.alwaysWalk, bindingText: record.bindingText, findings: moved, replay: record.replay });
    }
  }
  incrementalCounts.kept += records.size;
  incrementalCounts.walked += statements.length - records.size;
  let keepable = !anyRuleFailed;
  for (const statement of statements) {
    if (records.has(statement)) continue;
    const shape = reuse?.touched.get(statement) ?? shapeOf(statement, text);
    const replay = walk.replays.get(statement) ?? { nodes: [], bindingNodes: [] };
    // Every statement not kept was walked, and left its replay; if not, nothing of this analysis is kept.
    if (!walk.replays.has(statement)) keepable = false;
    records.set(statement, { shape, alwaysWalk: /\bawait\b/.test(shape.skeleton), bindingText: bindingTextOf(replay, text), findings: [], replay });
  }
  for (const finding of fresh) {
    if (!statementScope.has(finding.ruleId)) continue;
    const index = statementIndexAt(statements, finding.start);
    const statement = index < 0 ? undefined : statements[index];
    const record = statement && records.get(statement);
    if (!statement || !record || reuse?.kept.has(statement)) {
      // Reported outside the statement being analyzed: nothing of this file can be kept.
      if (reuse) return undefined;
      keepable = false;
      continue;
    }
    if (!insideBody(record.shape, finding.start)) record.alwaysWalk = true;
    record.findings.push(keptFinding(finding, sourceFile));
  }
  const state: IncrementalState | undefined = keepable
    ? { fileName: sourceFile.fileName, text, contextKey, statements: [...statements], records, bindingsKey: currentBindings }
    : undefined;
  return { findings, state };
}

/**
 * A rule's view of the file. The fields are copied one by one: a spread of the FileContext with a method added took
 * V8's slow path, about 2 µs per rule per file, more than many rules spend on a small file.
 */
function ruleContext(file: FileContext, active: ActiveRule, findings: Finding[]): RuleContext {
  return {
    fileName: file.fileName,
    text: file.text,
    sourceFile: file.sourceFile,
    settings: file.settings,
    bindings: file.bindings,
    external: file.external,
    project: file.project,
    isJavaScript: file.isJavaScript,
    isEsm: file.isEsm,
    workspace: file.workspace,
    report: (descriptor: ReportDescriptor): void => {
      findings.push(findingOf(file.sourceFile, active, descriptor));
    },
  };
}

function findingOf(sourceFile: ts.SourceFile, active: ActiveRule, descriptor: ReportDescriptor): Finding {
  const { meta } = active.rule;
  const start = descriptor.node ? descriptor.node.getStart(sourceFile) : descriptor.start ?? 0;
  const end = descriptor.node ? descriptor.node.getEnd() : descriptor.end ?? start;
  const template = meta.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`rule ${meta.id} reported unknown message id '${descriptor.messageId}'`);
  return {
    ruleId: meta.id,
    messageId: descriptor.messageId,
    severity: active.severity,
    message: fillTemplate(template, descriptor.data ?? {}),
    start,
    end,
    range: { start: sourceFile.getLineAndCharacterOfPosition(start), end: sourceFile.getLineAndCharacterOfPosition(end) },
    fixes: descriptor.fixes ?? [],
    related: descriptor.related ?? [],
  };
}

function fillTemplate(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

function describeError(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'nesting too deep to parse';
  return error instanceof Error ? error.message : String(error);
}

export interface FixAllResult {
  text: string;
  /** How many fixes were applied over all passes. */
  applied: number;
}

const MAX_FIX_PASSES = 10;

/**
 * Applies the first fix of every finding, in passes: edits that overlap an earlier fix in the same pass
 * wait for the next pass, on re-analyzed text, until nothing is left to fix (as ESLint does).
 */
export function fixAll(fileName: string, text: string, options: AnalyzeOptions = {}): FixAllResult {
  let current = text;
  let applied = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const result = analyze(fileName, current, options);
    const chosen = chooseNonOverlappingFixes(result.findings.map((finding) => finding.fixes[0]).filter((fix): fix is Fix => fix !== undefined));
    if (chosen.fixes === 0) break;
    const next = applyEdits(current, chosen.edits);
    // Fixes that are safe one by one can still clash together; a pass that breaks the syntax is not kept.
    if (syntaxErrorCount(fileName, next) > syntaxErrorCount(fileName, current)) break;
    current = next;
    applied += chosen.fixes;
  }
  return { text: current, applied };
}

function chooseNonOverlappingFixes(fixes: readonly Fix[]): { edits: TextEdit[]; fixes: number } {
  const accepted: TextEdit[] = [];
  let count = 0;
  for (const fix of fixes) {
    const fresh = fix.edits.filter((edit) => !accepted.some((other) => sameEdit(edit, other)));
    if (fresh.some((edit) => accepted.some((other) => overlaps(edit, other)))) continue;
    if (fresh.length === 0) continue;
    accepted.push(...fresh);
    count++;
  }
  return { edits: accepted, fixes: count };
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

/** Two edits conflict when their ranges intersect, or both insert at the same point. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end || (a.start === a.end && a.start > b.start && a.start < b.end)
    || (b.start === b.end && b.start > a.start && b.start < a.end);
}
