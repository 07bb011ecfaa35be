import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyEdits, defaultSettings } from '../../server/src/engine';
import { FileJobRunner, type FileJobSettings } from '../../server/src/cli/fileJob';
import { collectFiles } from '../../server/src/cli/files';
import { buildWorkspaceIndex, GrowingIndex, indexRoots, namesLoggerModule } from '../../server/src/cli/workspaceIndex';
import { planAnalysis } from '../../server/src/cli/analysisOrder';
import type { FileReport } from '../../server/src/cli/report';
import { makeProject, parseJsonReport, runCli, type Tree } from './harness';

/**
 * Without --fix, the CLI builds the cross-file index while analyzing (each file summarized from its analysis's
 * parse, others read when an answer needs them first). It must answer exactly as an index built up front.
 * File names are chosen so that the files asking come first in path order, before the files that answer.
 */
const PROJECT: Tree = {
  'package.json': JSON.stringify({ dependencies: { express: '^4.19.0', axios: '^1.7.0', 'express-rate-limit': '^7.0.0', pino: '^9.0.0' } }),
  'src/a-routes/users.ts': `import express from 'express';
import { getUser } from '../services/users';
const app = express();
app.get('/users/:id', async (req, res) => { res.json(await getUser(req.params.id)); });
app.listen(3000);
`,
  'src/a-routes/orders.ts': `import express from 'express';
import { protect } from '../middleware/security';
const app = express();
app.use(protect);
app.get('/orders', async (req, res) => {
  try {
    res.json(await loadOrders());
  } catch (err) {
    console.error('loading orders failed', err);
    res.status(500).end();
  }
});
async function loadOrders() { return []; }
app.listen(3001);
`,
  'src/a-routes/open.ts': `import express from 'express';
import items from '../routers/items';
const app = express();
app.use('/api', items);
app.get('/x', (req, res) => { res.send('x'); });
app.listen(3002);
`,
  'src/lib/http.ts': `import axios from 'axios';\nexport const api = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });\n`,
  'src/lib/logger.ts': `import pino from 'pino';\nexport const logger = pino({ level: 'info' });\n`,
  'src/middleware/security.ts': `import rateLimit from 'express-rate-limit';\nexport const protect = rateLimit({ windowMs: 60_000, limit: 100 });\n`,
  'src/routers/items.ts': `import { Router } from 'express';\nconst router = Router();\nrouter.get('/items', (req, res) => { res.json([]); });\nexport default router;\n`,
  'src/services/users.ts': `import { api } from '../lib/http';
export async function getUser(id: string) {
  const { data } = await api.get(\`/users/\${id}\`);
  return data;
}
`,
};

describe('the CLI index grown during the analysis', () => {
  let dir = '';
  let cleanup = (): void => undefined;
  before(() => {
    ({ dir, cleanup } = makeProject(PROJECT));
  });
  after(() => cleanup());

  /** `imported`: what the run is told of each file (a file said to be imported by none is not summarized after its analysis). */
  function reports(growing: boolean, imported = true): FileReport[] {
    const settings = defaultSettings();
    const files = collectFiles(['.'], dir);
    const job: FileJobSettings = { cwd: dir, settings, fix: false, roots: [dir] };
    const runner = growing
      ? new FileJobRunner({ ...job, growingIndex: { roots: indexRoots(files, dir), files: files.map((file) => file.path) } })
      : new FileJobRunner(job, buildWorkspaceIndex(files, dir, settings).index);
    return files.map((file) => runner.run(file, imported));
  }

  it('answers as the index built up front, for every file', () => {
    assert.deepEqual(reports(true), reports(false));
  });

  it('answers the same when the import scan missed every import (the files are read when an answer needs them)', () => {
    assert.deepEqual(reports(true, false), reports(false));
  });

  it('tells which files another file imports', () => {
    const files = collectFiles(['.'], dir);
    const { imported } = planAnalysis(files, [dir]);
    const importedNames = files.filter((_, position) => imported[position]).map((file) => path.relative(dir, file.path).split(path.sep).join('/'));
    assert.deepEqual(importedNames, ['src/lib/http.ts', 'src/middleware/security.ts', 'src/routers/items.ts', 'src/services/users.ts']);
  });

  it('follows calls into files not analyzed yet, and finds the project logger and the limiters of other files', () => {
    const byFile = new Map(reports(true).map((report) => [path.relative(dir, report.filePath).split(path.sep).join('/'), report]));
    const users = byFile.get('src/a-routes/users.ts')?.findings.filter((finding) => finding.ruleId === 'unhandled-external-failure') ?? [];
    assert.equal(users.length, 1, 'the service call is seen as an HTTP request');
    assert.equal(users[0].related[0]?.fileName, path.join(dir, 'src/services/users.ts'));

    const orders = byFile.get('src/a-routes/orders.ts')?.findings ?? [];
    assert.ok(!orders.some((finding) => finding.ruleId === 'missing-rate-limit'), 'the limiter from the middleware module counts');
    const log = orders.find((finding) => finding.ruleId === 'unstructured-log');
    assert.ok(log, 'console.error in a catch is reported');
    assert.match(applyEdits(PROJECT['src/a-routes/orders.ts'] as string, log.fixes[0].edits), /import \{ logger \} from '\.\.\/lib\/logger';/);

    const open = byFile.get('src/a-routes/open.ts')?.findings ?? [];
    assert.equal(open.filter((finding) => finding.ruleId === 'missing-rate-limit').length, 1, 'the mounted router is known to install no limiter');
  });

  it('analyzes the files a file imports before it, each file once', () => {
    const files = collectFiles(['.'], dir);
    const order = planAnalysis(files, [dir]).order.map((position) => path.relative(dir, files[position].path).split(path.sep).join('/'));
    assert.deepEqual([...order].sort(), files.map((file) => path.relative(dir, file.path).split(path.sep).join('/')).sort());
    const before = (first: string, second: string): void => assert.ok(order.indexOf(first) < order.indexOf(second), `${first} before ${second}: ${order.join(', ')}`);
    before('src/lib/http.ts', 'src/services/users.ts');
    before('src/services/users.ts', 'src/a-routes/users.ts');
    before('src/middleware/security.ts', 'src/a-routes/orders.ts');
    before('src/routers/items.ts', 'src/a-routes/open.ts');
  });

  it('gives the same report on 1 and 2 worker threads, and differs from --no-index', () => {
    const run = (args: string[]): string => {
      const result = runCli(['--format', 'json', '--fail-on', 'never', ...args], dir);
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    const one = run(['--workers', '1']);
    assert.equal(run(['--workers', '2']), one);
    const related = parseJsonReport(one).flatMap((result) => result.findings).filter((finding) => 'related' in finding);
    assert.ok(related.length > 0, 'cross-file findings point at the other file');
    assert.notEqual(run(['--no-index', '--workers', '1']), one);
  });
});

/**
 * The growing index summarizes logger candidates nearest directory first and stops at the nearest that exports a
 * logger; it must pick the very logger an index built up front picks, wherever the asking file is.
 */
const LOGGERS: Tree = {
  'svc/api/near.ts': `import pino from 'pino';\nexport function child(name: string) { return pino().child({ name }); }\n`,
  'svc/api/routes.ts': `export const routes = [];\n`,
  'svc/log.ts': `import pino from 'pino';\nexport const log = pino();\n`,
  'svc/logger.ts': `import winston from 'winston';\nexport const logger = winston.createLogger({});\n`,
  'svc/deep/a/b/c.ts': `export const c = 1;\n`,
  'other/x/y/audit.ts': `import bunyan from 'bunyan';\nexport default bunyan.createLogger({ name: 'audit' });\n`,
  'other/x/y/z.ts': `export const z = 1;\n`,
  'other/x/y/self.ts': `import pino from 'pino';\nexport const logger = pino();\n`,
};

describe('the project logger of the growing index', () => {
  let dir = '';
  let cleanup = (): void => undefined;
  before(() => {
    ({ dir, cleanup } = makeProject(LOGGERS));
  });
  after(() => cleanup());

  it('is the logger the index built up front names, from every directory', () => {
    const settings = defaultSettings();
    const files = collectFiles(['.'], dir);
    const upFront = buildWorkspaceIndex(files, dir, settings).index;
    const growing = new GrowingIndex(indexRoots(files, dir), files.map((file) => file.path), settings);
    for (const file of files) {
      assert.deepEqual(growing.projectLogger(file.path), upFront.projectLogger(file.path), path.relative(dir, file.path));
    }
    const name = (file: string): string | undefined => growing.projectLogger(path.join(dir, file))?.specifier;
    assert.equal(name('svc/api/routes.ts'), '../logger', 'one directory up, `logger` wins the tie over `log`');
    assert.equal(name('svc/deep/a/b/c.ts'), '../../../logger');
    assert.equal(name('other/x/y/self.ts'), './audit', 'a file is never its own project logger');
  });
});

describe('which files may export the project logger', () => {
  const names = (source: string): boolean => namesLoggerModule('/p/src/log.ts', Buffer.from(source));

  it('the files that import, require or dynamically import a logger module', () => {
    assert.equal(names(`import pino from 'pino';\nexport const logger = pino();`), true);
    assert.equal(names(`import pino from"pino";`), true);
    assert.equal(names(`const pino = require( 'pino' );`), true);
    assert.equal(names(`import winston = require("winston");`), true);
    assert.equal(names('const { default: bunyan } = await import(`bunyan`);'), true);
    assert.equal(names(`const pino = require(/* the logger */ 'pino');`), true, 'a comment: unsure, so yes');
    assert.equal(names(`const pino = requ\\u0069re('pino');`), true, 'an escaped identifier: any mention counts');
  });

  it('not the files that only mention one', () => {
    assert.equal(names(`export const LOGGERS = ['pino', 'winston'];\nconst style = { pino: 'pino' };`), false);
    assert.equal(names(`throw new Error('install "pino" first');`), false);
    assert.equal(names(`import { logger } from './logger';`), false);
    assert.equal(namesLoggerModule('/p/test/log.test.ts', Buffer.from(`import pino from 'pino';`)), false, 'test files are not indexed');
  });
});
