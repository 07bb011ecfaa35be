import type * as ts from 'typescript';
import type { FailpathSettings } from './settings';
import type { Bindings } from './bindings';
import type { ExternalCalls } from './external';
import type { ProjectInfo, WorkspaceKnowledge } from './project';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** Zero-based line and UTF-16 character, as in LSP and the TypeScript compiler. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** An edit by character offsets into the analyzed text. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedInformation {
  fileName: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  /** Which of the rule's messages; tests assert this, not the prose. */
  messageId: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  range: Range;
  fixes: Fix[];
  related: RelatedInformation[];
}

export type RuleCategory =
  | 'timeouts'
  | 'fallbacks'
  | 'error handling'
  | 'observability'
  | 'security'
  | 'idempotency'
  | 'protection'
  | 'operability'
  | 'retries'
  | 'caching'
  | 'efficiency';

export interface RuleMeta {
  id: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** One line, shown in docs and SARIF. */
  description: string;
  /** Message templates keyed by message id; `{{name}}` placeholders are filled from report data. */
  messages: Record<string, string>;
  hasFix: boolean;
  /** Also review browser code (`'use client'`, React components). Most rules are about server-side failure paths. */
  reviewsBrowserCode?: boolean;
  /**
   * 'statement': the rule's findings in one top-level statement depend only on that statement and on the file-wide
   * facts incremental analysis tracks (see engine/incremental.ts), so after an edit inside function bodies the
   * engine keeps its findings in untouched statements. 'file' (the default): the rule runs over the whole file on
   * every analysis (routes registered anywhere, a shutdown handler anywhere).
   */
  scope?: 'statement' | 'file';
  /**
   * For 'statement' rules: whole-file facts their findings also depend on (a helper already declared, a lint
   * directive for the file), as a short string. Incremental analysis keeps nothing when it changes.
   */
  fileFacts?: (file: FileContext) => string;
}

/**
 * Called with each node of a kind the rule asked for. A whole-file rule's handler may return `false` to say the
 * node can never matter to it (from the node's own syntax and the file's bindings, never from what the rule saw
 * before): incremental analysis then does not replay that node to it after an edit elsewhere.
 */
export type NodeHandler = (node: ts.Node) => void | boolean;

/** Handlers keyed by the node kinds a rule is interested in; `onEnd` runs after the traversal. */
export interface RuleVisitor {
  kinds: Partial<Record<ts.SyntaxKind, NodeHandler>>;
  onEnd?: () => void;
}

export interface ReportDescriptor {
  node?: ts.Node;
  start?: number;
  end?: number;
  messageId: string;
  data?: Record<string, string | number>;
  fixes?: Fix[];
  related?: RelatedInformation[];
}

/** What every rule sees of the file under analysis. */
export interface FileContext {
  fileName: string;
  text: string;
  sourceFile: ts.SourceFile;
  settings: FailpathSettings;
  bindings: Bindings;
  external: ExternalCalls;
  project: ProjectInfo;
  isJavaScript: boolean;
  /** True when the file uses ES module syntax (import/export); fixes then add `import`, else `require`. */
  isEsm: boolean;
  /** Knowledge of the other workspace files, when the host has indexed them. */
  workspace?: WorkspaceKnowledge;
}

export interface RuleContext extends FileContext {
  report(descriptor: ReportDescriptor): void;
}

export interface Rule {
  meta: RuleMeta;
  create(context: RuleContext): RuleVisitor;
}
