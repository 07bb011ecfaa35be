import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, applyEdits, type Finding, type Rule } from '../../server/src/engine';
import { WorkspaceIndex } from '../../server/src/workspace';
import { unhandledExternalFailure } from '../../server/src/rules/unhandled-external-failure';
import { missingTimeout } from '../../server/src/rules/missing-timeout';
import { floatingPromise } from '../../server/src/rules/floating-promise';
import { missingRateLimit } from '../../server/src/rules/missing-rate-limit';
import { unstructuredLog } from '../../server/src/rules/unstructured-log';
import { writeTree } from './workspaceTree';

const roots: string[] = [];
after(() => { for (const root of roots) fs.rmSync(root, { recursive: true, force: true }); });

/** A workspace on disk with every file indexed, and a way to analyze one of its files with and without the index. */
function workspace(files: Record<string, string>): {
  index: WorkspaceIndex;
  at: (relative: string) => string;
  findings: (relative: string, rule: Rule, withIndex?: boolean) => Finding[];
} {
  const root = writeTree(files);
  roots.push(root);
  const index = new WorkspaceIndex([root]);
  for (const relative of Object.keys(files)) {
    if (/\.(c|m)?[jt]sx?$/.test(relative)) index.updateText(path.join(root, relative), files[relative]);
  }
  const at = (relative: string): string => path.join(root, relative);
  const project = { dependencies: { express: '^4.19.0', axios: '^1.7.0', 'express-rate-limit': '^7.0.0', pino: '^9.0.0' } };
  return {
    index,
    at,
    findings: (relative, rule, withIndex = true) => analyze(at(relative), files[relative], {
      rules: [rule], project, workspace: withIndex ? index : undefined,
    }).findings,
  };
}

const HTTP_CLIENTS = `import axios from 'axios';
export const api = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });
export const bare = axios.create({ baseURL: 'https://slow.example.com' });
`;

const USERS_SERVICE = `import { api } from '../lib/http';
export async function getUser(id: string) {
  const { data } = await api.get(\`/users/\${id}\`);
  return data;
}
export async function getUserOrNull(id: string) {
  try {
    return await api.get(\`/users/\${id}\`);
  } catch (err) {
    return null;
  }
}
export class UsersService {
  async find(id: string) { return getUser(id); }
}
`;

describe('cross-file knowledge: service layers', () => {
  const files = {
    'src/lib/http.ts': HTTP_CLIENTS,
    'src/services/users.ts': USERS_SERVICE,
    'src/routes/users.ts': `import express from 'express';
import { getUser, getUserOrNull, UsersService } from '../services/users';
const app = express();
const users = new UsersService();
app.get('/a/:id', async (req, res) => { res.json(await getUser(req.params.id)); });
app.get('/b/:id', async (req, res) => { res.json(await getUserOrNull(req.params.id)); });
app.get('/c/:id', async (req, res) => { res.json(await users.find(req.params.id)); });
app.listen(3000);
`,
  };
  const ws = workspace(files);

  it('sees an awaited service call as external, and says where the request is made', () => {
    const found = ws.findings('src/routes/users.ts', unhandledExternalFailure);
    assert.deepEqual(found.map((finding) => finding.range.start.line + 1), [5, 7]);
    const [first] = found;
    assert.equal(first.related.length, 1);
    assert.equal(first.related[0].fileName, ws.at('src/services/users.ts'));
    assert.equal(first.related[0].range.start.line, 2, 'points at the api.get call inside getUser');
    assert.match(first.related[0].message, /api\.get/);
  });

  it('does not flag a service function that handles its own failure', () => {
    const lines = ws.findings('src/routes/users.ts', unhandledExternalFailure).map((finding) => finding.range.start.line + 1);
    assert.ok(!lines.includes(6));
  });

  it('finds nothing across files without the index', () => {
    assert.deepEqual(ws.findings('src/routes/users.ts', unhandledExternalFailure, false), []);
  });
});

describe('cross-file knowledge: services that translate failures into errors of their own', () => {
  const files = {
    'src/slack.ts': `export class AppError extends Error {}
export async function post(endpoint: string) {
  try {
    const response = await fetch(\`https://slack.com/api/\${endpoint}\`, { signal: AbortSignal.timeout(5000) });
    return await response.json();
  } catch (err) {
    throw new AppError(String(err));
  }
}
`,
    'src/koa.ts': `import Router from 'koa-router';
import { post } from './slack';
const router = new Router();
router.post('/hooks', async (ctx) => { ctx.body = await post('chat.unfurl'); });
export default router;
`,
    'src/express.ts': `import express from 'express';
import { post } from './slack';
const app = express();
app.post('/hooks', async (req, res) => { res.json(await post('chat.unfurl')); });
app.listen(3000);
`,
  };
  const ws = workspace(files);

  it('trusts the translated error where the framework forwards rejections (Koa answers it as the project chose)', () => {
    assert.deepEqual(ws.findings('src/koa.ts', unhandledExternalFailure), []);
  });

  it('still reports it where a rejection crashes the process (Express 4)', () => {
    const found = ws.findings('src/express.ts', unhandledExternalFailure);
    assert.equal(found.length, 1);
    assert.match(found[0].related[0].message, /rethrown as another error/);
  });
});

describe('cross-file knowledge: shared clients and missing-timeout', () => {
  const files = {
    'src/lib/http.ts': HTTP_CLIENTS,
    'src/jobs/sync.ts': `import { api, bare } from '../lib/http';
export async function sync() {
  await api.get('/items');
  await bare.get('/items');
  await bare.get('/items', { timeout: 2000 });
}
`,
  };
  const ws = workspace(files);

  it('trusts an imported instance created with a timeout and flags one created without, pointing at its creation', () => {
    const found = ws.findings('src/jobs/sync.ts', missingTimeout);
    assert.deepEqual(found.map((finding) => [finding.range.start.line + 1, finding.messageId]), [[4, 'axios']]);
    assert.equal(found[0].related[0].fileName, ws.at('src/lib/http.ts'));
    assert.equal(found[0].related[0].range.start.line, 2);
    assert.match(found[0].related[0].message, /without a timeout/);
  });

  it('fixes the call itself (the instance lives in another file)', () => {
    const [finding] = ws.findings('src/jobs/sync.ts', missingTimeout);
    const fixed = applyEdits(files['src/jobs/sync.ts'], finding.fixes[0].edits);
    assert.match(fixed, /await bare\.get\('\/items', \{ timeout: 10000 \}\);/);
  });
});

describe('cross-file knowledge: CommonJS, injection, re-exports and cycles', () => {
  const files = {
    'db.js': `const { Pool } = require('pg');
const pool = new Pool();
module.exports = { query: (text, params) => pool.query(text, params) };
`,
    'repo.js': `const db = require('./db');
const { query } = require('./db');
exports.findUser = async (id) => db.query('select 1', [id]);
exports.findOther = async (id) => query('select 2', [id]);
`,
    'handler.js': `const express = require('express');
const repo = require('./repo');
const app = express();
app.get('/u', async (req, res) => { res.json(await repo.findUser(req.query.id)); });
app.get('/o', async (req, res) => { res.json(await repo.findOther(req.query.id)); });
app.listen(3000);
`,
    'src/a.ts': `export * from './b';\nexport { ping } from './b';\n`,
    'src/b.ts': `export * from './a';\nexport async function ping() { return fetch('https://example.com'); }\n`,
    'src/users.service.ts': `import { Injectable } from '@nestjs/common';
import { ping } from './a';
@Injectable()
export class UsersService {
  async findAll() { return ping(); }
}
`,
    'src/users.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { UsersService } from './users.service';
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}
  @Get()
  async findAll() {
    return await this.users.findAll();
  }
}
`,
  };
  const ws = workspace(files);

  it('follows module.exports objects, default requires and destructured requires', () => {
    const found = ws.findings('handler.js', unhandledExternalFailure);
    assert.deepEqual(found.map((finding) => finding.range.start.line + 1), [4, 5]);
    assert.equal(found[0].related[0].fileName, ws.at('db.js'));
  });

  it('sees injected services (constructor parameter properties) through re-export cycles, which terminate', () => {
    const found = ws.findings('src/users.controller.ts', unhandledExternalFailure);
    assert.deepEqual(found.map((finding) => finding.range.start.line + 1), [8]);
    assert.equal(found[0].related[0].fileName, ws.at('src/b.ts'));
    assert.equal(ws.index.externalCallOf(ws.at('src/a.ts'), './b', 'missing', []), undefined);
  });

  it('reports a dropped promise of a service call with the cross-file location', () => {
    const text = `import { ping } from './a';\nexport function fire() {\n  ping();\n}\n`;
    fs.writeFileSync(ws.at('src/fire.ts'), text);
    const result = analyze(ws.at('src/fire.ts'), text, { rules: [floatingPromise], workspace: ws.index });
    assert.deepEqual(result.findings.map((finding) => [finding.range.start.line + 1, finding.messageId]), [[3, 'asyncFunction']]);
    assert.equal(result.findings[0].related[0].fileName, ws.at('src/b.ts'));
  });
});

describe('cross-file knowledge: rate limiters installed in other modules', () => {
  const files = {
    'src/middleware/security.ts': `import rateLimit from 'express-rate-limit';\nexport const protect = rateLimit({ windowMs: 60_000, limit: 100 });\n`,
    'src/routes/items.ts': `import { Router } from 'express';\nconst router = Router();\nrouter.get('/items', (req, res) => { res.json([]); });\nexport default router;\n`,
    'src/protected.ts': `import express from 'express';
import { protect } from './middleware/security';
const app = express();
app.use(protect);
app.get('/x', (req, res) => { res.send('x'); });
app.listen(3000);
`,
    'src/open.ts': `import express from 'express';
import items from './routes/items';
const app = express();
app.use('/api', items);
app.get('/x', (req, res) => { res.send('x'); });
app.listen(3000);
`,
  };
  const ws = workspace(files);

  it('knows a limiter exported by another module, where this package declares no limiter (a monorepo package)', () => {
    const run = (withIndex: boolean): Finding[] => analyze(ws.at('src/protected.ts'), files['src/protected.ts'], {
      rules: [missingRateLimit], project: { dependencies: { express: '^4.19.0' } }, workspace: withIndex ? ws.index : undefined,
    }).findings;
    assert.equal(run(false).length, 1, 'alone, the file shows an unknown middleware and a package.json without any limiter');
    assert.deepEqual(run(true), []);
  });

  it('reports an app whose mounted routers are known to install no limiter', () => {
    assert.deepEqual(ws.findings('src/open.ts', missingRateLimit, false), [], 'without the index the router could hold one');
    assert.equal(ws.findings('src/open.ts', missingRateLimit).length, 1);
  });
});

describe('cross-file knowledge: the project logger in unstructured-log fixes', () => {
  const files = {
    'src/lib/logger.ts': `import pino from 'pino';\nexport const logger = pino({ level: 'info' });\n`,
    'src/routes/orders.ts': `import express from 'express';
const app = express();
app.get('/orders', async (req, res) => {
  try {
    res.json(await loadOrders());
  } catch (err) {
    console.error('loading orders failed', err);
    res.status(500).end();
  }
});
async function loadOrders() { return []; }
`,
  };
  const ws = workspace(files);

  it('imports the exported logger by relative path instead of creating a new one', () => {
    const [finding] = ws.findings('src/routes/orders.ts', unstructuredLog);
    assert.ok(finding, 'console.error in a catch is reported');
    const fixed = applyEdits(files['src/routes/orders.ts'], finding.fixes[0].edits);
    assert.match(fixed, /import \{ logger \} from '\.\.\/lib\/logger';/);
    assert.doesNotMatch(fixed, /pino\(\)/);
    assert.match(fixed, /logger\.error\(\{ err \}, 'loading orders failed'\)/);
  });

  it('falls back to the configured logger without the index', () => {
    const [finding] = ws.findings('src/routes/orders.ts', unstructuredLog, false);
    const fixed = applyEdits(files['src/routes/orders.ts'], finding.fixes[0].edits);
    assert.match(fixed, /import pino from 'pino';/);
  });
});

describe('workspace index maintenance', () => {
  it('reports whether a file\'s answers changed, and lists its importers transitively', () => {
    const ws = workspace({
      'src/lib/http.ts': HTTP_CLIENTS,
      'src/services/users.ts': USERS_SERVICE,
      'src/routes/users.ts': `import { getUser } from '../services/users';\nexport const handler = async (id: string) => getUser(id);\n`,
    });
    assert.deepEqual(ws.index.importersOf(ws.at('src/lib/http.ts')).sort(), [ws.at('src/routes/users.ts'), ws.at('src/services/users.ts')]);
    assert.equal(ws.index.updateText(ws.at('src/services/users.ts'), `${USERS_SERVICE}// a comment\n`), false, 'a comment changes no answer');
    assert.ok(ws.index.externalCallOf(ws.at('src/routes/users.ts'), '../services/users', 'getUser', []));
    assert.equal(ws.index.updateText(ws.at('src/services/users.ts'), 'export async function getUser(id: string) { return { id }; }\n'), true);
    assert.equal(ws.index.externalCallOf(ws.at('src/routes/users.ts'), '../services/users', 'getUser', []), undefined);
  });

  it('round-trips through a structured-clone snapshot (what worker threads receive)', () => {
    const ws = workspace({ 'src/lib/http.ts': HTTP_CLIENTS, 'src/services/users.ts': USERS_SERVICE });
    const copy = WorkspaceIndex.fromSnapshot(structuredClone(ws.index.snapshot()));
    const answer = copy.externalCallOf(ws.at('src/x.ts'), './services/users', 'getUser', []);
    assert.equal(answer?.kind, 'http');
    assert.equal(answer?.site.fileName, ws.at('src/services/users.ts'));
  });
});
