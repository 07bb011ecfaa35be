import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, open, setText } from './helpers';
import { insertedPattern } from './snippetBody';

interface SnippetEntry {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

async function snippetsOf(extension: vscode.Extension<unknown>): Promise<Array<[string, SnippetEntry]>> {
  const file = vscode.Uri.joinPath(extension.extensionUri, 'snippets', 'failpath.code-snippets');
  const raw = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  return Object.entries(JSON.parse(raw) as Record<string, SnippetEntry>);
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

describe('snippets', () => {
  let entries: Array<[string, SnippetEntry]> = [];

  before(async () => {
    entries = await snippetsOf(await activateExtension());
    assert.ok(entries.length > 0, 'snippets/failpath.code-snippets has no snippet');
  });

  it('every prefix is offered in completion for a .ts file and inserts its body', async function () {
    this.timeout(120_000);
    const editor = await open('src/snippets/scratch.ts');
    for (const [name, snippet] of entries) {
      for (const prefix of Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix]) {
        await setText(editor, prefix);
        const end = editor.document.lineAt(0).range.end;
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, end);
        const item = list.items.find((i) => labelOf(i) === prefix && i.kind === vscode.CompletionItemKind.Snippet);
        assert.ok(item, `"${prefix}" (${name}) is not offered as a snippet; offered: ${list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(labelOf).join(', ')}`);
        assert.ok(item.insertText instanceof vscode.SnippetString, `"${prefix}" has no snippet body`);
        const replace = item.range === undefined ? new vscode.Range(end.with({ character: 0 }), end) : 'inserting' in item.range ? item.range.replacing : item.range;
        assert.equal(await editor.insertSnippet(item.insertText, replace), true, `inserting "${prefix}" failed`);
        await vscode.commands.executeCommand('leaveSnippet');
        const inserted = editor.document.getText();
        assert.match(inserted, insertedPattern(snippet.body), `"${prefix}" inserted something else than its body:\n${inserted}`);
      }
    }
  });
});
