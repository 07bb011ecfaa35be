// UI tests through the real workbench (the packaged extension installed into code-server), driven like a
// user: open a file, see the squiggle, the Problems row and the status bar count, apply the quick fix from
// the lightbulb menu (Ctrl+.), save, and read the file from disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface UiContext {
  page: Page;
  workspace: string;
  log: (line: string) => void;
}

export interface UiTest {
  name: string;
  settings?: Record<string, unknown>;
  run(ui: UiContext): Promise<void>;
}

async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
}

/** Quick Open (Ctrl+P), as a user would; the explorer tree needs expanding for nested files. */
async function openFile(page: Page, relative: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relative);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relative) }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[data-resource-name="${path.basename(relative)}"], .tab.active:has-text("${path.basename(relative)}")`).first().waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

function statusItem(page: Page, text: string): Locator {
  return page.locator('.statusbar-item', { hasText: text });
}

/**
 * Ctrl+. at the cursor, then the keyboard down to the item and Enter (the menu's pointer shield swallows clicks).
 * Right after a change the server may not have answered yet, so the menu is reopened until the item is there.
 */
async function applyQuickFix(page: Page, itemText: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: itemText }).first();
    try {
      await item.waitFor({ timeout: 2000 });
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
      continue;
    }
    const rows = page.locator('.action-widget .monaco-list-row');
    for (let step = 0; step < (await rows.count()); step++) {
      const focused = page.locator('.action-widget .monaco-list-row.focused');
      if (((await focused.count()) > 0 && (await focused.first().innerText()).includes(itemText))) {
        await page.keyboard.press('Enter');
        return;
      }
      await page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not focus "${itemText}" in the quick-fix menu`);
  }
  throw new Error(`the quick-fix menu never offered "${itemText}"`);
}

const missingTimeoutThroughTheLightbulb: UiTest = {
  name: 'missing-timeout-quick-fix-through-the-lightbulb',
  async run({ page, workspace }) {
    const file = path.join(workspace, 'src', 'clients', 'inventory.ts');
    await waitForWorkbench(page);
    await openFile(page, 'src/clients/inventory.ts');

    // The squiggles.
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 30_000 });

    // The Problems panel: source `failpath` and the rule id, per finding.
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'missing-timeout' });
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);

    // The status bar counts every Failpath finding of the file (other rules find things in it too).
    const findings = await settledCount(page.locator('.markers-panel .monaco-list-row', { hasText: 'failpath' }));
    await statusItem(page, `Failpath: ${findings}`).waitFor({ timeout: 30_000 });
    const fetchRow = page.locator('.markers-panel .monaco-list-row', { hasText: 'has no `signal`' });
    const rowText = (await fetchRow.innerText()).replace(/\s+/g, ' ');
    assert.match(rowText, /failpath\(missing-timeout\)|failpath.*missing-timeout/, rowText);
    assert.match(rowText, /\[Ln 11, Col 21\]|11, ?21/, rowText);

    // Go to the finding from its row, then Ctrl+. and the fix.
    await fetchRow.click();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor.focused').first().waitFor();
    await applyQuickFix(page, 'Add `signal`');
    await statusItem(page, `Failpath: ${findings - 1}`).waitFor({ timeout: 30_000 });

    await page.keyboard.press('Control+S');
    await expectOnDisk(file, "fetch(`https://shipping.example.com/quotes?postcode=${encodeURIComponent(postcode)}`, { signal: AbortSignal.timeout(10000) });");
    assert.equal(await rows.count(), 1, 'one Problems row left');
  },
};

/** The number of elements once it stops changing (diagnostics of several rules arrive together, but the list renders in steps). */
async function settledCount(locator: Locator, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  while (Date.now() < deadline) {
    const current = await locator.count();
    if (current > 0 && current === previous) return current;
    previous = current;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the count of ${String(locator)} did not settle within ${timeoutMs} ms`);
}

async function expectOnDisk(file: string, expected: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = fs.readFileSync(file, 'utf8');
    if (text.includes(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${file} was not saved with the fix; on disk:\n${text}`);
}

export const UI_TESTS: UiTest[] = [missingTimeoutThroughTheLightbulb];
