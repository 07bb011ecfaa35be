import * as ts from 'typescript';
import type { FileContext } from './types';

/**
 * Whether a file runs in the browser rather than on a server. Failpath reviews server-side failure paths, so
 * rules about outbound calls and logging stay quiet in browser code. Judged from the code in view only:
 * a `'use client'` directive, an import of a browser-only UI library, or React hooks imported from 'react'
 * (server components cannot use hooks).
 */
const BROWSER_ONLY_MODULES: ReadonlySet<string> = new Set([
  'react-dom', 'react-dom/client', 'swr', '@tanstack/react-query', 'react-query', 'vue', 'svelte', 'react-router',
  'react-router-dom', '@remix-run/react', 'solid-js', 'preact', 'preact/hooks', '@apollo/client', 'mobx-react',
  'react-redux', 'zustand', 'jotai', 'recoil', '@reduxjs/toolkit/query/react',
]);
const BROWSER_ONLY_PREFIXES: readonly string[] = ['@angular/', '@mui/', '@chakra-ui/', '@radix-ui/', '@emotion/'];
const REACT_HOOK = /^use[A-Z]/;

/** A package whose package.json declares a UI framework and no server framework is a browser app. */
const BROWSER_APP_DEPENDENCIES: readonly string[] = ['react-dom', 'vue', 'svelte', '@angular/core', 'solid-js', 'preact'];
const SERVER_DEPENDENCIES: readonly string[] = [
  'express', 'koa', 'fastify', '@nestjs/core', 'hono', 'next', '@remix-run/node', 'nuxt', '@sveltejs/kit', 'astro',
  '@hapi/hapi', 'restify', 'h3', 'elysia', '@trpc/server', 'apollo-server', '@apollo/server',
];

/**
 * The verdict for the tree asked about last: the engine asks once per analysis and rules ask again about the same
 * tree, so one entry answers them all (cheaper than a WeakMap entry per file).
 */
let lastTree: ts.SourceFile | undefined;
let lastVerdict = false;

export function isBrowserCode(file: FileContext): boolean {
  if (file.sourceFile === lastTree) return lastVerdict;
  const verdict = hasUseClientDirective(file.sourceFile) || importsBrowserOnlyCode(file) || isBrowserApp(file)
    || isReactComponentFile(file);
  lastTree = file.sourceFile;
  lastVerdict = verdict;
  return verdict;
}

export function hasUseClientDirective(sourceFile: ts.SourceFile): boolean {
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === 'use client') return true;
  }
  return false;
}

function isBrowserApp(file: FileContext): boolean {
  const dependencies = file.project.dependencies;
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(dependencies, name);
  return BROWSER_APP_DEPENDENCIES.some(has) && !SERVER_DEPENDENCIES.some(has);
}

/** Modules only server code imports; a `.tsx` that imports React and none of these is a UI component. */
const SERVER_MODULE = /^(node:|(fs|path|http|https|net|os|child_process|crypto|stream|zlib|worker_threads)(\/|$)|express$|koa$|fastify$|hono$|@nestjs\/|next\/server$|next\/headers$|server-only$|pino$|winston$)/;

/**
 * A `.tsx`/`.jsx` file that imports React and nothing server-side, outside a Next.js project (where a component
 * without `'use client'` is a server component).
 */
function isReactComponentFile(file: FileContext): boolean {
  if (!/\.[jt]sx$/i.test(file.fileName)) return false;
  if (Object.prototype.hasOwnProperty.call(file.project.dependencies, 'next')) return false;
  let importsReact = false;
  for (const binding of file.bindings.all()) {
    if (binding.isInstance) continue;
    if (binding.module === 'react' || binding.module.startsWith('react/')) importsReact = true;
    if (SERVER_MODULE.test(binding.module) || (binding.knowledge !== undefined && binding.knowledge.kind !== 'http')) return false;
  }
  return importsReact;
}

/** Test code is not production code: `*.test.ts`, `*.spec.js`, `*.e2e.ts`, files under `__tests__`/`__mocks__`. */
export function isTestFile(fileName: string): boolean {
  return /\.(test|spec|e2e|e2e-spec|cy)\.[cm]?[jt]sx?$/i.test(fileName) || /(^|[\\/])(__tests__|__mocks__)[\\/]/.test(fileName);
}

function importsBrowserOnlyCode(file: FileContext): boolean {
  for (const binding of file.bindings.all()) {
    if (binding.isInstance) continue;
    if (BROWSER_ONLY_MODULES.has(binding.module)) return true;
    if (startsWithAny(binding.module, BROWSER_ONLY_PREFIXES)) return true;
    if (binding.module === 'react' && REACT_HOOK.test(binding.imported)) return true;
  }
  return false;
}

function startsWithAny(text: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (text.startsWith(prefix)) return true;
  return false;
}
