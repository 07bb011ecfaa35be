// Turns a VS Code snippet body into a pattern its inserted text must match: placeholders become their default
// text (the first choice of a choice list), tab stops become nothing, variables may become anything.
// Kept independent of VS Code's own implementation so the test checks the snippet file, not the editor.

export function bodyText(body: string | string[]): string {
  return Array.isArray(body) ? body.join('\n') : body;
}

/** A RegExp matching the text VS Code inserts for `body` at column 0 (tabs may become spaces). */
export function insertedPattern(body: string | string[]): RegExp {
  const parts = render(bodyText(body), 0, false).parts;
  const source = parts.map((part) => (part.kind === 'variable' ? '[^\\n]*?' : literalPattern(part.text))).join('');
  return new RegExp(`^${source}$`);
}

type Part = { kind: 'text'; text: string } | { kind: 'variable' };

function literalPattern(text: string): string {
  return text
    .split('\t')
    .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('(?:\\t| {1,8})');
}

/** Renders from `start` until the end or, inside a placeholder, the `}` closing it. */
function render(source: string, start: number, nested: boolean): { parts: Part[]; end: number } {
  const parts: Part[] = [];
  const text = (t: string): void => {
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text') last.text += t;
    else parts.push({ kind: 'text', text: t });
  };
  let i = start;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && i + 1 < source.length && '$}\\'.includes(source[i + 1])) {
      text(source[i + 1]);
      i += 2;
    } else if (ch === '}' && nested) {
      return { parts, end: i };
    } else if (ch === '$') {
      const simple = /^\$(\d+|[A-Z_][A-Z_0-9]*)/.exec(source.slice(i));
      if (simple) {
        if (!/^\d+$/.test(simple[1])) parts.push({ kind: 'variable' });
        i += simple[0].length;
        continue;
      }
      const braced = /^\$\{(\d+|[A-Z_][A-Z_0-9]*)(:|\||\})/.exec(source.slice(i));
      if (!braced) {
        text(ch);
        i += 1;
        continue;
      }
      const isVariable = !/^\d+$/.test(braced[1]);
      i += braced[0].length;
      if (braced[2] === '}') {
        if (isVariable) parts.push({ kind: 'variable' });
      } else if (braced[2] === '|') {
        const close = source.indexOf('|}', i);
        text(source.slice(i, close).split(',')[0]);
        i = close + 2;
      } else {
        const inner = render(source, i, true);
        if (isVariable) parts.push({ kind: 'variable' });
        else for (const part of inner.parts) part.kind === 'text' ? text(part.text) : parts.push(part);
        i = inner.end + 1;
      }
    } else {
      text(ch);
      i += 1;
    }
  }
  return { parts, end: i };
}
