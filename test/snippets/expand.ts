/**
 * Expands a VS Code snippet body the way the editor does when the user accepts every default:
 * each tabstop gets its placeholder's default (mirrors included), a choice its first option, a variable its
 * value (or its default, or its own name when unknown, as VS Code does), `$0` nothing.
 *
 * Grammar (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_grammar):
 *   any         ::= tabstop | placeholder | choice | variable | text
 *   tabstop     ::= '$' int | '${' int '}' | '${' int transform '}'
 *   placeholder ::= '${' int ':' any '}'
 *   choice      ::= '${' int '|' text (',' text)* '|}'
 *   variable    ::= '$' var | '${' var '}' | '${' var ':' any '}' | '${' var transform '}'
 *   transform   ::= '/' regex '/' (format | text)+ '/' options
 * A construct that does not parse is literal text (VS Code backtracks the same way); `\` escapes `$`, `}` and
 * `\` in text, and `,`, `|`, `\` inside a choice.
 */

export type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children: SnippetNode[]; transform?: Transform }
  | { kind: 'choice'; index: number; options: string[] }
  | { kind: 'variable'; name: string; children: SnippetNode[] | undefined; transform?: Transform };

export interface Transform {
  regex: RegExp;
  format: FormatPart[];
}

export type FormatPart =
  | { kind: 'text'; value: string }
  | { kind: 'group'; group: number; modifier?: string; ifValue?: string; elseValue?: string };

/** Values for snippet variables; a name missing here is "unknown" (VS Code then inserts the name itself). */
export type SnippetVariables = Readonly<Record<string, string | undefined>>;

/** Variable values of an editor that has `example.ts` open in the workspace `app`. */
export const DEFAULT_VARIABLES: SnippetVariables = {
  TM_FILENAME: 'example.ts',
  TM_FILENAME_BASE: 'example',
  TM_DIRECTORY: '/workspace/app/src',
  TM_FILEPATH: '/workspace/app/src/example.ts',
  RELATIVE_FILEPATH: 'src/example.ts',
  WORKSPACE_NAME: 'app',
  WORKSPACE_FOLDER: '/workspace/app',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  CURRENT_YEAR: '2025',
  CURRENT_YEAR_SHORT: '25',
  CURRENT_MONTH: '01',
  CURRENT_DATE: '01',
  CURRENT_HOUR: '00',
  CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00',
  LINE_COMMENT: '//',
  BLOCK_COMMENT_START: '/*',
  BLOCK_COMMENT_END: '*/',
  UUID: '00000000-0000-4000-8000-000000000000',
};

export function expandSnippet(body: string | readonly string[], variables: SnippetVariables = DEFAULT_VARIABLES): string {
  const text = typeof body === 'string' ? body : body.join('\n');
  const nodes = parseSnippet(text);
  return render(nodes, new TabstopValues(nodes, variables), variables);
}

/** Tab-stop indexes in order of first appearance (nested ones included). */
export function tabstopIndexes(body: string | readonly string[]): number[] {
  const seen: number[] = [];
  const visit = (nodes: SnippetNode[]): void => {
    for (const node of nodes) {
      if ((node.kind === 'tabstop' || node.kind === 'choice') && !seen.includes(node.index)) seen.push(node.index);
      if (node.kind === 'tabstop' || (node.kind === 'variable' && node.children)) visit(node.children ?? []);
    }
  };
  visit(parseSnippet(typeof body === 'string' ? body : body.join('\n')));
  return seen;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

export function parseSnippet(text: string): SnippetNode[] {
  const parser = new Parser(text);
  return parser.parseSequence(false);
}

const DIGITS = /^[0-9]+/;
const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Reads nodes until the end or, inside a placeholder/variable default, an unescaped `}` (left unconsumed). */
  parseSequence(insideBraces: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flushText = (): void => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\') {
        const next = this.text[this.pos + 1];
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += ch;
          this.pos += 1;
        }
        continue;
      }
      if (ch === '}' && insideBraces) break;
      if (ch === '$') {
        const start = this.pos;
        const node = this.parseDollar();
        if (node) {
          flushText();
          nodes.push(node);
          continue;
        }
        this.pos = start + 1;
        text += '$';
        continue;
      }
      text += ch;
      this.pos += 1;
    }
    flushText();
    return nodes;
  }

  /** At a `$`: a tabstop, placeholder, choice or variable, or undefined (position then unspecified). */
  private parseDollar(): SnippetNode | undefined {
    this.pos += 1; // '$'
    const digits = this.match(DIGITS);
    if (digits !== undefined) return { kind: 'tabstop', index: Number(digits), children: [] };
    const name = this.match(VARIABLE_NAME);
    if (name !== undefined) return { kind: 'variable', name, children: undefined };
    if (!this.accept('{')) return undefined;

    const index = this.match(DIGITS);
    if (index !== undefined) return this.parseComplexTabstop(Number(index));
    const variable = this.match(VARIABLE_NAME);
    if (variable !== undefined) return this.parseComplexVariable(variable);
    return undefined;
  }

  private parseComplexTabstop(index: number): SnippetNode | undefined {
    if (this.accept('}')) return { kind: 'tabstop', index, children: [] };
    if (this.accept(':')) {
      const children = this.parseSequence(true);
      return this.accept('}') ? { kind: 'tabstop', index, children } : undefined;
    }
    if (this.accept('|')) {
      const options = this.parseChoiceOptions();
      return options ? { kind: 'choice', index, options } : undefined;
    }
    if (this.text[this.pos] === '/') {
      const transform = this.parseTransform();
      return transform ? { kind: 'tabstop', index, children: [], transform } : undefined;
    }
    return undefined;
  }

  private parseComplexVariable(name: string): SnippetNode | undefined {
    if (this.accept('}')) return { kind: 'variable', name, children: undefined };
    if (this.accept(':')) {
      const children = this.parseSequence(true);
      return this.accept('}') ? { kind: 'variable', name, children } : undefined;
    }
    if (this.text[this.pos] === '/') {
      const transform = this.parseTransform();
      return transform ? { kind: 'variable', name, children: undefined, transform } : undefined;
    }
    return undefined;
  }

  /** After `${n|`: options up to `|}`; `\` escapes `,`, `|` and `\`. */
  private parseChoiceOptions(): string[] | undefined {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      const next = this.text[this.pos + 1];
      if (ch === '\\' && (next === ',' || next === '|' || next === '\\')) {
        current += next;
        this.pos += 2;
      } else if (ch === ',') {
        options.push(current);
        current = '';
        this.pos += 1;
      } else if (ch === '|' && next === '}') {
        options.push(current);
        this.pos += 2;
        return options;
      } else {
        current += ch;
        this.pos += 1;
      }
    }
    return undefined;
  }

  /** At `/`: `/regex/format/options}` (consumes the closing brace). */
  private parseTransform(): Transform | undefined {
    this.pos += 1; // '/'
    const source = this.readUntilSlash(true);
    if (source === undefined) return undefined;
    const format = this.parseFormat();
    if (format === undefined) return undefined;
    const flags = this.match(/^[a-z]*/) ?? '';
    if (!this.accept('}')) return undefined;
    try {
      return { regex: new RegExp(source, flags), format };
    } catch {
      return undefined;
    }
  }

  /** Regex text up to an unescaped `/` (consumed); `\/` becomes `/`, other escapes stay for the RegExp. */
  private readUntilSlash(keepEscapes: boolean): string | undefined {
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\' && this.pos + 1 < this.text.length) {
        const next = this.text[this.pos + 1];
        value += next === '/' || !keepEscapes ? next : ch + next;
        this.pos += 2;
        continue;
      }
      this.pos += 1;
      if (ch === '/') return value;
      value += ch;
    }
    return undefined;
  }

  /** Format string up to an unescaped `/` (consumed). */
  private parseFormat(): FormatPart[] | undefined {
    const parts: FormatPart[] = [];
    let text = '';
    const flushText = (): void => {
      if (text) parts.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\' && this.pos + 1 < this.text.length) {
        const next = this.text[this.pos + 1];
        text += next === '/' || next === '$' || next === '\\' ? next : ch + next;
        this.pos += 2;
        continue;
      }
      if (ch === '/') {
        this.pos += 1;
        flushText();
        return parts;
      }
      if (ch === '$') {
        const start = this.pos;
        const group = this.parseFormatGroup();
        if (group) {
          flushText();
          parts.push(group);
          continue;
        }
        this.pos = start;
      }
      text += ch;
      this.pos += 1;
    }
    return undefined;
  }

  private parseFormatGroup(): FormatPart | undefined {
    this.pos += 1; // '$'
    const bare = this.match(DIGITS);
    if (bare !== undefined) return { kind: 'group', group: Number(bare) };
    if (!this.accept('{')) return undefined;
    const digits = this.match(DIGITS);
    if (digits === undefined) return undefined;
    const group = Number(digits);
    if (this.accept('}')) return { kind: 'group', group };
    if (!this.accept(':')) return undefined;
    if (this.accept('/')) {
      const modifier = this.match(/^(upcase|downcase|capitalize|camelcase|pascalcase)/);
      return modifier !== undefined && this.accept('}') ? { kind: 'group', group, modifier } : undefined;
    }
    if (this.accept('+')) {
      const ifValue = this.readFormatText(['}']);
      return ifValue !== undefined && this.accept('}') ? { kind: 'group', group, ifValue } : undefined;
    }
    if (this.accept('?')) {
      const ifValue = this.readFormatText([':']);
      if (ifValue === undefined || !this.accept(':')) return undefined;
      const elseValue = this.readFormatText(['}']);
      return elseValue !== undefined && this.accept('}') ? { kind: 'group', group, ifValue, elseValue } : undefined;
    }
    this.accept('-');
    const elseValue = this.readFormatText(['}']);
    return elseValue !== undefined && this.accept('}') ? { kind: 'group', group, elseValue } : undefined;
  }

  private readFormatText(stops: string[]): string | undefined {
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\' && this.pos + 1 < this.text.length) {
        value += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (stops.includes(ch)) return value;
      value += ch;
      this.pos += 1;
    }
    return undefined;
  }

  private accept(ch: string): boolean {
    if (this.text[this.pos] !== ch) return false;
    this.pos += 1;
    return true;
  }

  private match(pattern: RegExp): string | undefined {
    const found = pattern.exec(this.text.slice(this.pos));
    if (!found) return undefined;
    this.pos += found[0].length;
    return found[0];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/**
 * The value each tab stop shows: the first placeholder of an index that has content (or the first choice) defines
 * it for every tab stop with that index, wherever they stand; a content can itself mirror other tab stops.
 */
class TabstopValues {
  private readonly definitions = new Map<number, SnippetNode>();
  private readonly values = new Map<number, string>();
  private readonly resolving = new Set<number>();

  constructor(nodes: SnippetNode[], private readonly variables: SnippetVariables) {
    this.collect(nodes);
  }

  get(index: number): string {
    const known = this.values.get(index);
    if (known !== undefined) return known;
    const definition = this.definitions.get(index);
    // A placeholder whose default mirrors itself (`${1:a $1}`) has no value to show; VS Code shows the rest.
    if (!definition || this.resolving.has(index)) return '';
    this.resolving.add(index);
    const value =
      definition.kind === 'choice' ? (definition.options[0] ?? '') : definition.kind === 'tabstop' ? render(definition.children, this, this.variables) : '';
    this.resolving.delete(index);
    this.values.set(index, value);
    return value;
  }

  private collect(nodes: SnippetNode[]): void {
    for (const node of nodes) {
      const definesValue = node.kind === 'choice' || (node.kind === 'tabstop' && node.children.length > 0);
      if (definesValue && !this.definitions.has(node.index)) this.definitions.set(node.index, node);
      if (node.kind === 'tabstop') this.collect(node.children);
      if (node.kind === 'variable' && node.children) this.collect(node.children);
    }
  }
}

function render(nodes: SnippetNode[], tabstops: TabstopValues, variables: SnippetVariables): string {
  return nodes.map((node) => renderNode(node, tabstops, variables)).join('');
}

function renderNode(node: SnippetNode, tabstops: TabstopValues, variables: SnippetVariables): string {
  switch (node.kind) {
    case 'text':
      return node.value;
    case 'choice':
      return tabstops.get(node.index);
    case 'tabstop': {
      const value = tabstops.get(node.index);
      return node.transform ? applyTransform(value, node.transform) : value;
    }
    case 'variable': {
      const value = variables[node.name];
      if (value !== undefined) return node.transform ? applyTransform(value, node.transform) : value;
      if (node.children) return render(node.children, tabstops, variables);
      return node.transform ? '' : node.name;
    }
  }
}

function applyTransform(value: string, transform: Transform): string {
  return value.replace(transform.regex, (...args: unknown[]) => {
    // replace() passes (match, ...captures, offset, input[, namedGroups]); captures are strings or undefined.
    const offsetIndex = args.findIndex((arg, i) => i > 0 && typeof arg === 'number');
    const groups = args.slice(0, offsetIndex);
    return transform.format.map((part) => formatPart(part, groups)).join('');
  });
}

function formatPart(part: FormatPart, groups: unknown[]): string {
  if (part.kind === 'text') return part.value;
  const raw = groups[part.group];
  const value = typeof raw === 'string' ? raw : '';
  if (part.modifier) return applyCaseModifier(value, part.modifier);
  if (part.ifValue !== undefined || part.elseValue !== undefined) {
    return value ? (part.ifValue ?? value) : (part.elseValue ?? '');
  }
  return value;
}

function applyCaseModifier(value: string, modifier: string): string {
  switch (modifier) {
    case 'upcase':
      return value.toUpperCase();
    case 'downcase':
      return value.toLowerCase();
    case 'capitalize':
      return value.charAt(0).toUpperCase() + value.slice(1);
    case 'camelcase': {
      const pascal = toPascalCase(value);
      return pascal.charAt(0).toLowerCase() + pascal.slice(1);
    }
    case 'pascalcase':
      return toPascalCase(value);
    default:
      return value;
  }
}

function toPascalCase(value: string): string {
  return (value.match(/[a-z0-9]+/gi) ?? []).map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join('');
}
