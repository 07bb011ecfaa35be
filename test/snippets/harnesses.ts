/**
 * Where each snippet is pasted for type-checking, and the free variables it expects there, declared with the
 * real types of the libraries (pino, express, axios, stripe, ioredis, pg, node).
 *
 * `module`: the expansion is the whole file after the prelude (it may hold imports and declarations).
 * `async-body`: the expansion is the body of an async function, as when it is typed inside a handler.
 */
export type Placement = 'module' | 'async-body';

export interface Harness {
  placement: Placement;
  /** Imports and `declare` statements that stand in for the user's surrounding code. */
  prelude: string;
  /** Code after the snippet in the same function, where the snippet leaves off mid-function. */
  epilogue?: string;
}

const LOGGER = `import type { Logger } from 'pino';
declare const logger: Logger;`;

export const HARNESSES: Readonly<Record<string, Harness>> = {
  'fp-fetch-timeout': {
    placement: 'async-body',
    prelude: `declare const url: string;`,
  },
  'fp-axios-timeout': {
    placement: 'async-body',
    prelude: `import axios from 'axios';
declare const url: string;`,
  },
  'fp-try-fallback': {
    placement: 'async-body',
    prelude: `${LOGGER}
declare const userId: string;
declare function fetchRecommendations(userId: string): Promise<string[]>;`,
  },
  'fp-logger-pino': {
    placement: 'module',
    prelude: ``,
  },
  'fp-log-error': {
    placement: 'async-body',
    prelude: `${LOGGER}
declare const err: unknown;
declare const orderId: string;`,
  },
  'fp-idempotency-guard': {
    placement: 'module',
    prelude: `import express from 'express';
declare const app: express.Express;
declare function createOrder(input: unknown): Promise<{ id: string }>;`,
  },
  'fp-stripe-idempotent': {
    placement: 'async-body',
    prelude: `import Stripe from 'stripe';
declare const stripe: Stripe;
declare const amountInCents: number;
declare const orderId: string;`,
  },
  'fp-retry-backoff': {
    placement: 'module',
    prelude: ``,
  },
  'fp-circuit-breaker': {
    placement: 'module',
    prelude: ``,
  },
  'fp-kill-switch': {
    placement: 'async-body',
    prelude: `${LOGGER}
declare function loadRecommendations(): Promise<string[]>;`,
    epilogue: `return loadRecommendations();`,
  },
  'fp-rate-limit': {
    placement: 'module',
    prelude: `import express from 'express';
declare const app: express.Express;`,
  },
  'fp-graceful-shutdown': {
    placement: 'module',
    prelude: `import type { Server } from 'node:http';
import type { Pool } from 'pg';
${LOGGER}
declare const server: Server;
declare const pool: Pool;`,
  },
  'fp-timeout-promise': {
    placement: 'module',
    prelude: ``,
  },
  'fp-redis-set-ttl': {
    placement: 'async-body',
    prelude: `import type { Redis } from 'ioredis';
declare const redis: Redis;
declare const userId: string;
declare const user: { id: string; name: string };`,
  },
};

/** The TypeScript file a snippet's expansion is checked as. */
export function harnessSource(harness: Harness, expansion: string): string {
  const code = harness.epilogue ? `${expansion}\n${harness.epilogue}` : expansion;
  const body = harness.placement === 'module' ? code : `export async function snippetHarness() {\n${indent(code)}\n}`;
  return `${harness.prelude}\n// ---- snippet expansion ----\n${body}\nexport {};\n`;
}

/** The same expansion as a JavaScript file (no prelude: only syntax is checked there). */
export function javascriptSource(harness: Harness, expansion: string): string {
  const code = harness.epilogue ? `${expansion}\n${harness.epilogue}` : expansion;
  return harness.placement === 'module' ? code : `export async function snippetHarness() {\n${indent(code)}\n}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `\t${line}` : line))
    .join('\n');
}
