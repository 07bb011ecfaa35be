import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/rules';

const root = path.resolve(__dirname, '..', '..', '..');
const specPath = path.resolve(root, '..', 'shared', 'spec', 'rules.md');

interface CatalogRow {
  id: string;
  category: string;
  defaultSeverity: string;
}

function catalogRows(markdown: string): CatalogRow[] {
  return markdown.split('\n')
    .filter((line) => /^\| [a-z][a-z-]+ \|/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => ({ id: cells[1], category: cells[2], defaultSeverity: cells[3] }));
}

describe('rule catalog', () => {
  it('rule ids are unique', () => {
    const ids = ALL_RULES.map((rule) => rule.meta.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const rule of ALL_RULES) {
    const { id } = rule.meta;
    it(`${id} has a docs page with the sections users rely on`, () => {
      const docsPath = path.join(root, 'docs', 'rules', `${id}.md`);
      assert.ok(fs.existsSync(docsPath), `missing ${docsPath}`);
      const page = fs.readFileSync(docsPath, 'utf8');
      assert.ok(page.startsWith(`# ${id}`), 'page starts with the rule id as its title');
      for (const section of ['## Rule details', '## Why it matters in production', '## Examples', '## How to suppress']) {
        assert.ok(page.includes(section), `docs/rules/${id}.md lacks "${section}"`);
      }
      if (rule.meta.hasFix) assert.ok(page.includes('## The quick fix'), `docs/rules/${id}.md lacks "## The quick fix"`);
    });

    it(`${id} is listed in the README's rule table`, () => {
      const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
      assert.ok(readme.includes(`[${id}](docs/rules/${id}.md)`), `README does not list ${id}`);
    });
  }

  it('ids, categories and default severities match the catalog in shared/spec/rules.md', (t) => {
    if (!fs.existsSync(specPath)) {
      t.skip(`catalog not found at ${specPath}`);
      return;
    }
    const rows = catalogRows(fs.readFileSync(specPath, 'utf8'));
    assert.ok(rows.length >= 16, 'the catalog table was read');
    for (const rule of ALL_RULES) {
      const row = rows.find((candidate) => candidate.id === rule.meta.id);
      assert.ok(row, `${rule.meta.id} is not a catalog id`);
      assert.equal(rule.meta.category, row.category, `${rule.meta.id} category`);
      assert.equal(rule.meta.defaultSeverity, row.defaultSeverity, `${rule.meta.id} default severity`);
    }
  });
});
