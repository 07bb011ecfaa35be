import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModuleResolver } from '../../server/src/workspace/resolve';
import { writeTree } from './workspaceTree';

describe('workspace module resolution', () => {
  const roots: string[] = [];
  const tree = (files: Record<string, string>): { root: string; resolver: ModuleResolver; at: (p: string) => string } => {
    const root = writeTree(files);
    roots.push(root);
    return { root, resolver: new ModuleResolver([root]), at: (p) => path.join(root, p) };
  };
  after(() => { for (const root of roots) fs.rmSync(root, { recursive: true, force: true }); });

  it('resolves relative paths with every source extension, index files, and .js specifiers to .ts sources', () => {
    const { resolver, at } = tree({
      'src/a.ts': '', 'src/b.mjs': '', 'src/c.cjs': '', 'src/d.tsx': '', 'src/lib/index.ts': '', 'src/e.ts': '', 'src/f.js': '',
    });
    const from = at('src/main.ts');
    assert.equal(resolver.resolve(from, './a'), at('src/a.ts'));
    assert.equal(resolver.resolve(from, './b'), at('src/b.mjs'));
    assert.equal(resolver.resolve(from, './c.cjs'), at('src/c.cjs'));
    assert.equal(resolver.resolve(from, './d'), at('src/d.tsx'));
    assert.equal(resolver.resolve(from, './lib'), at('src/lib/index.ts'));
    assert.equal(resolver.resolve(from, './e.js'), at('src/e.ts'));
    assert.equal(resolver.resolve(from, './f.js'), at('src/f.js'));
    assert.equal(resolver.resolve(at('src/lib/index.ts'), '../a'), at('src/a.ts'));
  });

  it('answers from directory listings as the file system would: links followed, a directory is no file, case as the file system has it', () => {
    const { root, resolver, at } = tree({ 'src/real.ts': '', 'src/dir.ts/index.ts': '', 'src/Upper.ts': '', 'src/from.ts': '' });
    fs.symlinkSync(at('src/real.ts'), at('src/linked.ts'));
    fs.symlinkSync(at('src/missing.ts'), at('src/dangling.ts'));
    const from = at('src/from.ts');
    assert.equal(resolver.resolve(from, './linked'), at('src/linked.ts'));
    assert.equal(resolver.resolve(from, './dangling'), undefined, 'a link to nothing is not a file');
    assert.equal(resolver.resolve(from, './dir'), undefined, 'a directory named dir.ts is not the file dir.ts');
    assert.equal(resolver.resolve(from, './dir.ts'), at('src/dir.ts/index.ts'), 'but it is a directory with an index');
    // On a case-insensitive file system `./upper` finds Upper.ts; on a case-sensitive one it does not: as stat says.
    const caseInsensitive = fs.existsSync(path.join(root, 'src/upper.ts'));
    assert.equal(resolver.resolve(from, './upper'), caseInsensitive ? at('src/upper.ts') : undefined);
    assert.equal(resolver.resolve(from, './Upper'), at('src/Upper.ts'));
  });

  it('answers undefined for what it cannot place, never throws', () => {
    const { resolver, at } = tree({ 'src/a.ts': '' });
    assert.equal(resolver.resolve(at('src/a.ts'), './missing'), undefined);
    assert.equal(resolver.resolve(at('src/a.ts'), 'express'), undefined);
    assert.equal(resolver.resolve(at('src/a.ts'), '@scope/unknown/deep'), undefined);
  });

  it('reads tsconfig paths and baseUrl as JSON with comments, following a relative extends', () => {
    const { resolver, at } = tree({
      'tsconfig.base.json': '{ /* shared */ "compilerOptions": { "baseUrl": ".", "paths": { "@server/*": ["server/*"], "@shared": ["shared/index.ts"] } } }',
      'tsconfig.json': '{\n  // the app\n  "extends": "./tsconfig.base",\n  "compilerOptions": { "strict": true, },\n}',
      'server/models/User.ts': '', 'shared/index.ts': '', 'lib/util.ts': '', 'server/app.ts': '',
    });
    const from = at('server/app.ts');
    assert.equal(resolver.resolve(from, '@server/models/User'), at('server/models/User.ts'));
    assert.equal(resolver.resolve(from, '@shared'), at('shared/index.ts'));
    assert.equal(resolver.resolve(from, 'lib/util'), at('lib/util.ts'), 'baseUrl resolves bare specifiers inside the project');
  });

  it('resolves workspace packages of a monorepo through exports, main, and built paths mapped back to src', () => {
    const { resolver, at } = tree({
      'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }),
      'packages/http/package.json': JSON.stringify({ name: '@mono/http', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './retry': './dist/retry.js' } }),
      'packages/http/src/index.ts': '', 'packages/http/src/retry.ts': '',
      'packages/db/package.json': JSON.stringify({ name: 'db', main: 'lib/main.js' }),
      'packages/db/lib/main.js': '',
      'apps/api/src/server.ts': '',
    });
    const from = at('apps/api/src/server.ts');
    assert.equal(resolver.resolve(from, '@mono/http'), at('packages/http/src/index.ts'));
    assert.equal(resolver.resolve(from, '@mono/http/retry'), at('packages/http/src/retry.ts'));
    assert.equal(resolver.resolve(from, 'db'), at('packages/db/lib/main.js'));
  });

  it('reads pnpm-workspace.yaml package globs', () => {
    const { resolver, at } = tree({
      'pnpm-workspace.yaml': "packages:\n  - 'libs/*'\n  - \"!libs/ignored\"\n",
      'libs/logger/package.json': JSON.stringify({ name: '@acme/logger' }),
      'libs/logger/src/index.ts': '',
      'app.ts': '',
    });
    assert.equal(resolver.resolve(at('app.ts'), '@acme/logger'), at('libs/logger/src/index.ts'));
  });
});
