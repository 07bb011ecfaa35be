import { missingTimeout } from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(missingTimeout, {
  valid: [
    {
      name: 'http.request with an options object built elsewhere: it may carry a timeout, and a second argument would break the call',
      code: `import https from 'https';
export function send(options: https.RequestOptions, body: string) {
  return new Promise((resolve, reject) => {
    const req = https.request(options, collect(resolve, reject));
    req.on('error', reject);
    req.end(body);
  });
}`,
    },
    {
      name: 'a browser script served from public/',
      fileName: 'public/src/admin/stats.js',
      code: `export function refreshStats(path) {
  return fetch(path, { credentials: 'include' }).then((response) => response.json());
}`,
    },
    {
      name: 'editor code that reads the DOM (no typeof window guard)',
      fileName: 'shared/editor/lib/images.ts',
      code: `export async function imageToFile(url: string): Promise<File> {
  const response = await fetch(url, { cache: 'no-store' });
  const blob = await response.blob();
  const name = document.title || 'image';
  return new File([blob], name, { type: blob.type });
}`,
    },
    {
      name: 'a test helper that calls the app under test',
      fileName: 'libs/testing/src/events.ts',
      code: `import axios from 'axios';
export async function triggerEvent(name: string) {
  await axios.post('http://127.0.0.1:3000/v1/events', { name });
}`,
    },
    {
      name: 'fetch with an AbortSignal timeout',
      code: `export async function getUser(id: string) {
  const res = await fetch(\`https://api.example.com/users/\${id}\`, { signal: AbortSignal.timeout(5000) });
  return res.json();
}`,
    },
    {
      name: 'fetch whose init object was built earlier with a signal',
      code: `export async function getUser(id: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 3000);
  const init = { method: 'GET', signal: controller.signal };
  try {
    return await fetch('/users/' + id, init);
  } finally {
    clearTimeout(timer);
  }
}`,
    },
    {
      name: 'fetch with options passed in from the caller (cannot see them)',
      code: `export function request(url: string, options: RequestInit) {
  return fetch(url, options);
}`,
    },
    {
      name: 'fetch with spread options that may carry a signal',
      code: `export const get = (url: string, opts: RequestInit) => fetch(url, { ...opts, headers: { accept: 'application/json' } });`,
    },
    {
      name: 'a local function named fetch is not the global fetch',
      code: `function fetch(key: string) { return cache.get(key); }
export const value = fetch('a');`,
    },
    {
      name: 'axios instance created with a timeout',
      code: `import axios from 'axios';
const api = axios.create({ baseURL: 'https://billing.internal', timeout: 4000 });
export async function invoices() {
  const { data } = await api.get('/invoices');
  return data;
}`,
    },
    {
      name: 'axios instance created from a config we cannot see',
      code: `import axios from 'axios';
import { config } from './config';
const api = axios.create(config.http);
export const ping = () => api.get('/ping');`,
    },
    {
      name: 'axios call with timeout in its config',
      code: `const axios = require('axios');
async function charge(body) {
  return axios.post('https://pay.example.com/charge', body, { timeout: 8000, headers: { 'x-key': 'k' } });
}`,
      fileName: 'pay.js',
    },
    {
      name: 'axios defaults set for the whole file',
      code: `import axios from 'axios';
axios.defaults.timeout = 5000;
export const health = () => axios.get('https://status.example.com');`,
    },
    {
      name: 'axios helpers that stay in-process',
      code: `import axios from 'axios';
export function isNetworkError(error: unknown) { return axios.isAxiosError(error) && !error.response; }
axios.interceptors.request.use((config) => config);`,
    },
    {
      name: 'got with a timeout object',
      code: `import got from 'got';
export const getJson = (url: string) => got(url, { timeout: { request: 5000 } }).json();`,
    },
    {
      name: 'superagent with .timeout() in the chain',
      code: `import request from 'superagent';
export async function profile(id: string) {
  const res = await request.get('/profile/' + id).set('Accept', 'application/json').timeout({ response: 2000, deadline: 5000 });
  return res.body;
}`,
    },
    {
      name: 'http.get whose request gets setTimeout later',
      code: `import https from 'node:https';
export function check(url: string) {
  const req = https.get(url, (res) => res.resume());
  req.setTimeout(3000, () => req.destroy(new Error('timeout')));
}`,
    },
    {
      name: 'http.request with a timeout option',
      code: `import http from 'http';
export function ping() {
  const req = http.request({ host: 'localhost', port: 8080, path: '/health', timeout: 2000 });
  req.end();
}`,
    },
    {
      name: 'ky keeps its default 10 s timeout',
      code: `import ky from 'ky';
export const load = () => ky.get('https://api.example.com/items').json();`,
    },
    {
      name: 'browser code (React hooks) is not reviewed for timeouts',
      code: `import { useEffect, useState } from 'react';
export function useProfile(id: string) {
  const [profile, setProfile] = useState<unknown>();
  useEffect(() => { fetch('/api/profile/' + id).then((r) => r.json()).then(setProfile); }, [id]);
  return profile;
}`,
      fileName: 'useProfile.tsx',
    },
    {
      name: "a 'use client' component",
      code: `'use client';
export async function save(form: FormData) {
  await fetch('/api/save', { method: 'POST', body: form });
}`,
      fileName: 'SaveButton.tsx',
    },
    {
      name: 'a method named get on an unrelated object',
      code: `const cache = new Map<string, string>();
export async function read(key: string) { return cache.get(key); }`,
    },
  ],
  invalid: [
    {
      name: 'a Next.js route handler (server code that imports nothing from React) is reviewed',
      code: `import { NextResponse } from 'next/server';
export async function GET() {
  const res = await fetch('https://api.example.com/prices', { next: { revalidate: 60 } });
  return NextResponse.json(await res.json());
}`,
      fileName: 'app/api/prices/route.ts',
      errors: [{ messageId: 'fetch', line: 3 }],
      output: `import { NextResponse } from 'next/server';
export async function GET() {
  const res = await fetch('https://api.example.com/prices', { next: { revalidate: 60 }, signal: AbortSignal.timeout(10000) });
  return NextResponse.json(await res.json());
}`,
    },
    {
      name: 'global fetch with no options',
      code: `export async function getUser(id: string) {
  const res = await fetch(\`https://api.example.com/users/\${id}\`);
  return res.json();
}`,
      errors: [{ messageId: 'fetch', line: 2, column: 21 }],
      output: `export async function getUser(id: string) {
  const res = await fetch(\`https://api.example.com/users/\${id}\`, { signal: AbortSignal.timeout(10000) });
  return res.json();
}`,
    },
    {
      name: 'fetch with an init object that has no signal: merge into it',
      code: `export async function createOrder(order: unknown) {
  return fetch('https://orders.internal/orders', {
    method: 'POST',
    body: JSON.stringify(order),
  });
}`,
      errors: [{ messageId: 'fetch', line: 2 }],
      output: `export async function createOrder(order: unknown) {
  return fetch('https://orders.internal/orders', {
    method: 'POST',
    body: JSON.stringify(order),
    signal: AbortSignal.timeout(10000),
  });
}`,
    },
    {
      name: 'node-fetch default import, timeout from settings',
      code: `import fetch from 'node-fetch';
export const rates = () => fetch('https://rates.example.com/latest', { headers: { accept: 'application/json' } });`,
      settings: { timeoutMs: 2500 },
      errors: [{ messageId: 'fetch', line: 2 }],
      output: `import fetch from 'node-fetch';
export const rates = () => fetch('https://rates.example.com/latest', { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(2500) });`,
    },
    {
      name: 'axios.get without config',
      code: `import axios from 'axios';
export async function weather(city: string) {
  const { data } = await axios.get(\`https://weather.example.com/\${city}\`);
  return data;
}`,
      errors: [{ messageId: 'axios', line: 3, column: 26 }],
      output: `import axios from 'axios';
export async function weather(city: string) {
  const { data } = await axios.get(\`https://weather.example.com/\${city}\`, { timeout: 10000 });
  return data;
}`,
    },
    {
      name: 'axios.post with data but no config, and with no data at all',
      code: `import axios from 'axios';
export async function notify(payload: object) {
  await axios.post('https://hooks.example.com/notify', payload);
  await axios.post('https://hooks.example.com/ping');
}`,
      errors: [{ messageId: 'axios', line: 3 }, { messageId: 'axios', line: 4 }],
      output: `import axios from 'axios';
export async function notify(payload: object) {
  await axios.post('https://hooks.example.com/notify', payload, { timeout: 10000 });
  await axios.post('https://hooks.example.com/ping', undefined, { timeout: 10000 });
}`,
    },
    {
      name: 'axios instance created without a timeout',
      code: `import axios from 'axios';
const github = axios.create({ baseURL: 'https://api.github.com' });
export const repos = (org: string) => github.get(\`/orgs/\${org}/repos\`, { params: { per_page: 100 } });`,
      errors: [{ messageId: 'axios', line: 3 }],
      output: `import axios from 'axios';
const github = axios.create({ baseURL: 'https://api.github.com' });
export const repos = (org: string) => github.get(\`/orgs/\${org}/repos\`, { params: { per_page: 100 }, timeout: 10000 });`,
    },
    {
      name: 'axios with timeout 0 is no timeout',
      code: `import axios from 'axios';
export const slow = () => axios({ url: 'https://reports.example.com/export', timeout: 0 });`,
      errors: [{ messageId: 'axios', line: 2 }],
      output: `import axios from 'axios';
export const slow = () => axios({ url: 'https://reports.example.com/export', timeout: 10000 });`,
    },
    {
      name: 'client kept on a class field',
      code: `import axios, { AxiosInstance } from 'axios';
export class CrmClient {
  private http: AxiosInstance = axios.create({ baseURL: process.env.CRM_URL });
  async contact(id: string) {
    return (await this.http.get(\`/contacts/\${id}\`)).data;
  }
}`,
      errors: [{ messageId: 'axios', line: 5 }],
      output: `import axios, { AxiosInstance } from 'axios';
export class CrmClient {
  private http: AxiosInstance = axios.create({ baseURL: process.env.CRM_URL });
  async contact(id: string) {
    return (await this.http.get(\`/contacts/\${id}\`, { timeout: 10000 })).data;
  }
}`,
    },
    {
      name: 'got without options',
      code: `const got = require('got');
module.exports.fetchFeed = async (url) => got(url).text();`,
      fileName: 'feed.js',
      errors: [{ messageId: 'got', line: 2 }],
      output: `const got = require('got');
module.exports.fetchFeed = async (url) => got(url, { timeout: { request: 10000 } }).text();`,
    },
    {
      name: 'superagent request sent without .timeout()',
      code: `import superagent from 'superagent';
export async function avatar(id: string) {
  const res = await superagent.get('https://avatars.example.com/' + id).set('Accept', 'image/png');
  return res.body;
}`,
      errors: [{ messageId: 'superagent', line: 3 }],
      output: `import superagent from 'superagent';
export async function avatar(id: string) {
  const res = await superagent.get('https://avatars.example.com/' + id).timeout(10000).set('Accept', 'image/png');
  return res.body;
}`,
    },
    {
      name: 'https.get with only a callback',
      code: `import https from 'https';
export function ping(url: string) {
  https.get(url, (res) => res.resume());
}`,
      errors: [{ messageId: 'nodeHttp', line: 3 }],
      output: `import https from 'https';
export function ping(url: string) {
  https.get(url, { signal: AbortSignal.timeout(10000) }, (res) => res.resume());
}`,
    },
    {
      name: 'ky with the timeout turned off',
      code: `import ky from 'ky';
export const exportAll = () => ky.post('https://reports.example.com/export', { timeout: false });`,
      errors: [{ messageId: 'ky', line: 2 }],
      output: `import ky from 'ky';
export const exportAll = () => ky.post('https://reports.example.com/export', { timeout: 10000 });`,
    },
    {
      name: 'undici request without bounds',
      code: `import { request } from 'undici';
export async function pull(url: string) {
  const { body } = await request(url);
  return body.json();
}`,
      errors: [{ messageId: 'undici', line: 3 }],
      output: `import { request } from 'undici';
export async function pull(url: string) {
  const { body } = await request(url, { signal: AbortSignal.timeout(10000) });
  return body.json();
}`,
    },
    {
      name: 'suppressed by a comment on the previous line is not reported, the next call is',
      code: `export async function sync() {
  // failpath-ignore-next-line missing-timeout -- streaming endpoint, bounded by the job runner
  await fetch('https://export.example.com/stream');
  await fetch('https://export.example.com/done');
}`,
      errors: [{ messageId: 'fetch', line: 4 }],
    },
  ],
});
