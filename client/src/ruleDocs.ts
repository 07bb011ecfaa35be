import * as vscode from 'vscode';

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Opens a rule's documentation page shipped in the extension (`docs/rules/<id>.md`): rendered as a Markdown
 * preview when the built-in Markdown extension is there, else as a plain file. `target` is the page's URI
 * (as the server sends it) or a rule id; without one, the user picks a rule.
 */
export async function openRuleDocs(extensionUri: vscode.Uri, target: unknown): Promise<void> {
  const docsRoot = vscode.Uri.joinPath(extensionUri, 'docs', 'rules');
  const page = target === undefined ? await pickRulePage(docsRoot) : rulePageOf(docsRoot, target);
  if (!page) {
    if (target !== undefined) void vscode.window.showWarningMessage(`Failpath: no documentation page for ${String(target)}.`);
    return;
  }
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showWarningMessage(`Failpath: the documentation page ${page.fsPath} is missing from the extension.`);
    return;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', page);
  } catch {
    await vscode.window.showTextDocument(page, { preview: true });
  }
}

/** Only pages inside the extension's own docs folder: the command can be invoked with any argument. */
function rulePageOf(docsRoot: vscode.Uri, target: unknown): vscode.Uri | undefined {
  if (typeof target !== 'string') return undefined;
  if (RULE_ID.test(target)) return vscode.Uri.joinPath(docsRoot, `${target}.md`);
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(target, true);
  } catch {
    return undefined;
  }
  if (uri.scheme !== 'file') return undefined;
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const id = name.endsWith('.md') ? name.slice(0, -3) : '';
  if (!RULE_ID.test(id)) return undefined;
  const page = vscode.Uri.joinPath(docsRoot, `${id}.md`);
  return page.toString() === uri.toString() || page.fsPath === uri.fsPath ? page : undefined;
}

async function pickRulePage(docsRoot: vscode.Uri): Promise<vscode.Uri | undefined> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(docsRoot);
  } catch {
    return undefined;
  }
  const ids = entries
    .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.md'))
    .map(([name]) => name.slice(0, -3))
    .filter((id) => RULE_ID.test(id))
    .sort();
  const picked = await vscode.window.showQuickPick(ids, { placeHolder: 'Failpath rule' });
  return picked === undefined ? undefined : vscode.Uri.joinPath(docsRoot, `${picked}.md`);
}
