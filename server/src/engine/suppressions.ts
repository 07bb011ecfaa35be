import type * as ts from 'typescript';

const DIRECTIVE = /\/[/*]\s*failpath-ignore-(next-line|file)\b([^\n]*)/g;

/** Suppression comments of one file: `failpath-ignore-next-line <rule> -- reason`, `failpath-ignore-file <rule>`. */
export class Suppressions {
  private readonly fileWide = new Set<string>();
  private allFile = false;
  /** Zero-based line number -> rule ids ('*' = every rule) suppressed on that line. */
  private readonly byLine = new Map<number, Set<string>>();

  constructor(sourceFile: ts.SourceFile) {
    const text = sourceFile.text;
    if (!text.includes('failpath-ignore-')) return;
    for (const match of text.matchAll(DIRECTIVE)) {
      const rules = parseRuleList(match[2]);
      if (match[1] === 'file') {
        if (rules.length === 0) this.allFile = true;
        for (const rule of rules) this.fileWide.add(rule);
      } else {
        const line = sourceFile.getLineAndCharacterOfPosition(match.index ?? 0).line + 1;
        const set = this.byLine.get(line) ?? new Set<string>();
        if (rules.length === 0) set.add('*');
        for (const rule of rules) set.add(rule);
        this.byLine.set(line, set);
      }
    }
  }

  isSuppressed(ruleId: string, line: number): boolean {
    if (this.allFile || this.fileWide.has(ruleId)) return true;
    const set = this.byLine.get(line);
    return set !== undefined && (set.has('*') || set.has(ruleId));
  }

  /** True when every finding of the rule in this file is suppressed, so the rule need not run. */
  isRuleOff(ruleId: string): boolean {
    return this.allFile || this.fileWide.has(ruleId);
  }
}

// "rule-a, rule-b -- reason" -> [rule-a, rule-b]; the reason after "--" is for humans.
function parseRuleList(rest: string): string[] {
  const beforeReason = rest.split('--')[0].replace(/\*\/.*$/, '');
  return beforeReason.split(/[\s,]+/).filter((word) => /^[a-z][a-z0-9-]*$/.test(word));
}
