import * as ts from 'typescript';
import type { Finding, Fix, NodeHandler, ReportDescriptor, Rule, RuleContext, FileContext, Severity, TextEdit } from './types';
import { defaultSettings, type FailpathSettings } from './settings';
import { Bindings } from './bindings';
import { ExternalCalls } from './external';
import { EMPTY_PROJECT, type ProjectInfo, type WorkspaceKnowledge } from './project';
import { isJavaScriptFile, looksGeneratedOrMinified, parseFile, usesEsmSyntax } from './parse';
import { Suppressions } from './suppressions';
import { isBrowserCode, isTestFile } from './environment';
import { applyEdits } from './fixkit';
import { syntaxErrorCount, withoutUnsafeFixes } from './fixSafety';
import { ALL_RULES } from '../rules';

export * from './types';
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
}

const DEFAULT_TIME_BUDGET_MS = 5000;
const BUDGET_CHECK_INTERVAL = 2048;

/** Text in, findings with fixes out. Knows nothing of LSP or VS Code; never throws. */
export function analyze(fileName: string, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const settings = options.settings ?? defaultSettings();
  if (!settings.enable) return { findings: [], ruleErrors: [] };
  const byteLength = Buffer.byteLength(text, 'utf8');
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
  const candidates = (options.rules ?? ALL_RULES).filter((rule) => !browserCode || rule.meta.reviewsBrowserCode === true);
  const active = activeRules(candidates, settings, suppressions);
  const handlers = new Map<ts.SyntaxKind, { rule: ActiveRule; handler: NodeHandler }[]>();
  const onEnds: { rule: ActiveRule; run: () => void }[] = [];

  const failRule = (rule: ActiveRule, error: unknown): void => {
    if (rule.failed) return;
    rule.failed = true;
    ruleErrors.push({ ruleId: rule.rule.meta.id, message: describeError(error), stack: error instanceof Error ? error.stack : undefined });
  };

  for (const rule of active) {
    const context = ruleContext(file, rule, findings, suppressions);
    try {
      const visitor = rule.rule.create(context);
      for (const [kind, handler] of Object.entries(visitor.kinds) as [string, NodeHandler | undefined][]) {
        if (!handler) continue;
        const list = handlers.get(Number(kind)) ?? [];
        list.push({ rule, handler });
        handlers.set(Number(kind), list);
      }
      if (visitor.onEnd) onEnds.push({ rule, run: visitor.onEnd });
    } catch (error) {
      failRule(rule, error);
    }
  }

  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const completed = traverse(sourceFile, bindings, handlers, failRule, budget);
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
  const reported = findings.filter((finding) => !active.find((rule) => rule.rule.meta.id === finding.ruleId)?.failed);
  reported.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return { findings: withoutUnsafeFixes(reported, sourceFile), ruleErrors };
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

/** One pre-order walk shared by every rule, on an explicit stack so deep nesting cannot overflow. */
function traverse(
  sourceFile: ts.SourceFile,
  bindings: Bindings,
  handlers: Map<ts.SyntaxKind, { rule: ActiveRule; handler: NodeHandler }[]>,
  failRule: (rule: ActiveRule, error: unknown) => void,
  budgetMs: number,
): boolean {
  const started = performance.now();
  const stack: ts.Node[] = [sourceFile];
  const push = (child: ts.Node): void => { stack.push(child); };
  let visited = 0;
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    if (++visited % BUDGET_CHECK_INTERVAL === 0 && performance.now() - started > budgetMs) return false;
    recordBinding(node, bindings);
    const list = handlers.get(node.kind);
    if (list) {
      for (const { rule, handler } of list) {
        if (rule.failed) continue;
        try {
          handler(node);
        } catch (error) {
          failRule(rule, error);
        }
      }
    }
    // Children go straight onto the stack, then that segment is reversed so the first child is visited first.
    const first = stack.length;
    ts.forEachChild(node, push);
    for (let low = first, high = stack.length - 1; low < high; low++, high--) {
      const swap = stack[low];
      stack[low] = stack[high];
      stack[high] = swap;
    }
  }
  return true;
}

/** Clients created inside functions and classes become known to the code after them. */
function recordBinding(node: ts.Node, bindings: Bindings): void {
  if (ts.isVariableDeclaration(node)) {
    if (node.initializer && node.parent.parent && !ts.isSourceFile(node.parent.parent.parent)) bindings.collectVariable(node);
  } else if (ts.isPropertyDeclaration(node)) {
    if (node.initializer && ts.isIdentifier(node.name)) bindings.collectMember(node.name.text, node.initializer, node);
  } else if (ts.isParameter(node) && ts.isConstructorDeclaration(node.parent)) {
    // Injected services (`constructor(private users: UsersService)`): answered by the workspace index, if any.
    bindings.collectParameterProperty(node, { workspaceOnly: true });
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = node.left;
    if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
      bindings.collectMember(left.name.text, node.right, node);
    }
  }
}

function ruleContext(file: FileContext, active: ActiveRule, findings: Finding[], suppressions: Suppressions): RuleContext {
  const { meta } = active.rule;
  return {
    ...file,
    report(descriptor: ReportDescriptor): void {
      const start = descriptor.node ? descriptor.node.getStart(file.sourceFile) : descriptor.start ?? 0;
      const end = descriptor.node ? descriptor.node.getEnd() : descriptor.end ?? start;
      const startPosition = file.sourceFile.getLineAndCharacterOfPosition(start);
      if (suppressions.isSuppressed(meta.id, startPosition.line)) return;
      const template = meta.messages[descriptor.messageId];
      if (template === undefined) throw new Error(`rule ${meta.id} reported unknown message id '${descriptor.messageId}'`);
      findings.push({
        ruleId: meta.id,
        messageId: descriptor.messageId,
        severity: active.severity,
        message: fillTemplate(template, descriptor.data ?? {}),
        start,
        end,
        range: { start: startPosition, end: file.sourceFile.getLineAndCharacterOfPosition(end) },
        fixes: descriptor.fixes ?? [],
        related: descriptor.related ?? [],
      });
    },
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
