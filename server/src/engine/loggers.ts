import * as ts from 'typescript';
import type { FileContext, TextEdit } from './types';
import { ensureImport, importInsertionPoint, newlineOf, preferredQuote } from './fixkit';
import type { Binding } from './bindings';
import { perAnalysis } from './perFile';

export type LogStyle = 'pino' | 'winston' | 'console-json' | 'nest';

/** The logger a fix writes to: an expression in scope, its call style, and the edits that bring it in scope. */
export interface FileLogger {
  expression: string;
  style: LogStyle;
  setupEdits: TextEdit[];
}

const LOGGER_MODULES: Readonly<Record<string, LogStyle>> = {
  pino: 'pino',
  winston: 'winston',
  bunyan: 'pino',
  '@nestjs/common': 'nest',
};

/**
 * The file's own structured logger when it has one; else the project's exported logger (from the workspace
 * index, when the logger setting is left at its default); else the one named in settings, set up once.
 */
export function fileLogger(file: FileContext, at?: ts.Node): FileLogger {
  const known = fileLoggers(file);
  const logger = known.inClass && at && insideClass(at) ? known.inClass : known.outside;
  // Each fix gets edits of its own, as when each was computed afresh.
  return { expression: logger.expression, style: logger.style, setupEdits: logger.setupEdits.map((edit) => ({ ...edit })) };
}

interface FileLoggers {
  outside: FileLogger;
  /** Set when code inside a class gets another logger (`this.logger`, the only one the file has). */
  inClass?: FileLogger;
}

/** `fileLogger`'s answers, asked per fix: each used to scan the bindings and build edits. */
const fileLoggers = perAnalysis('fileLoggers', findFileLoggers);

function findFileLoggers(file: FileContext): FileLoggers {
  const inClass = existingLogger(file, true);
  const outside = inClass && !inClass.expression.startsWith('this.') ? inClass
    : existingLogger(file, false) ?? projectLogger(file) ?? configuredLogger(file);
  return inClass && inClass !== outside ? { outside, inClass } : { outside };
}

/** `import { logger } from '../lib/logger'`: the logger another workspace file exports, imported by relative path. */
function projectLogger(file: FileContext): FileLogger | undefined {
  const configured = file.settings.logger;
  const isDefaultSetting = configured.module === 'pino' && configured.name === 'logger' && configured.style === 'pino';
  if (!isDefaultSetting || !file.workspace?.projectLogger) return undefined;
  const found = file.workspace.projectLogger(file.fileName);
  if (!found) return undefined;
  const localName = found.name === 'default' ? 'logger' : found.name;
  if (file.bindings.get(localName)) return undefined;
  const edit = ensureImport(file, found.name === 'default' ? { module: found.specifier, defaultName: localName } : { module: found.specifier, named: localName });
  return { expression: localName, style: found.style, setupEdits: edit ? [edit] : [] };
}

function existingLogger(file: FileContext, inClass: boolean): FileLogger | undefined {
  let best: { binding: Binding; style: LogStyle } | undefined;
  for (const binding of file.bindings.all()) {
    const style = loggerStyleOf(binding, file);
    if (!style) continue;
    if (binding.name.startsWith('this.') && !inClass) continue;
    if (!best || (best.binding.name.startsWith('this.') && !binding.name.startsWith('this.'))) best = { binding, style };
  }
  return best ? { expression: best.binding.name, style: best.style, setupEdits: [] } : undefined;
}

function insideClass(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isClassLike(current)) return true;
  }
  return false;
}

function loggerStyleOf(binding: Binding, file: FileContext): LogStyle | undefined {
  const style = LOGGER_MODULES[binding.module];
  if (style) {
    if (style === 'nest') return binding.isInstance && binding.parent?.imported === 'Logger' ? 'nest' : undefined;
    return binding.isInstance ? style : undefined;
  }
  const configured = file.settings.logger;
  const isConfiguredImport = binding.module === configured.module && (binding.imported === configured.name || binding.name === configured.name);
  if (isConfiguredImport) return configured.style;
  // A logger exported by a project module (`import { logger } from './lib/logger'`); `Logger` there is its type.
  const isRelative = binding.module.startsWith('.') || binding.module.startsWith('@/') || binding.module.startsWith('~/');
  if (isRelative && /(^|\/)log(ger|ging)?(\.[jt]s)?$/i.test(binding.module) && /^(log|logger)$/.test(binding.name)) {
    return configured.style === 'console-json' ? 'pino' : configured.style;
  }
  return undefined;
}

function configuredLogger(file: FileContext): FileLogger {
  const { module: moduleName, name, style } = file.settings.logger;
  if (style === 'console-json') return { expression: 'console', style, setupEdits: [] };
  const isPackage = !moduleName.startsWith('.') && !moduleName.startsWith('/');
  const nl = newlineOf(file.text);
  if (isPackage && (moduleName === 'pino' || moduleName === 'winston')) {
    const factoryName = moduleName;
    const importEdit = ensureImport(file, { module: moduleName, defaultName: factoryName });
    const create = moduleName === 'pino'
      ? `const ${name} = pino();`
      : `const ${name} = winston.createLogger({ transports: [new winston.transports.Console()] });`;
    const edits: TextEdit[] = [];
    if (importEdit) edits.push({ ...importEdit, newText: `${importEdit.newText}${create}${nl}` });
    else if (!file.bindings.get(name)) edits.push(afterImports(file, `${create}${nl}`));
    return { expression: name, style, setupEdits: edits };
  }
  const importEdit = ensureImport(file, { module: moduleName, named: name });
  return { expression: name, style, setupEdits: importEdit ? [importEdit] : [] };
}

function afterImports(file: FileContext, text: string): TextEdit {
  const at = importInsertionPoint(file.sourceFile);
  return { start: at, end: at, newText: text };
}

/** The levels an error log is written at: `error`, or `warn` for a failure the code recovers from. */
export type ErrorLogLevel = 'error' | 'warn';

/**
 * A log call for an error, in the logger's style:
 * pino `logger.error({ err }, 'msg')`, winston `logger.error('msg', { err })`,
 * NestJS `this.logger.error('msg', err instanceof Error ? err.stack : String(err))`, console-json one JSON line.
 * `context` is extra fields (`orderId, userId: user.id`); `level` picks `.error` or `.warn`.
 */
export function errorLogCall(file: FileContext, logger: FileLogger, errorExpression: string, message: string, context = '', level: ErrorLogLevel = 'error'): string {
  const quote = preferredQuote(file.text);
  const quoted = `${quote}${message.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`)}${quote}`;
  const errProperty = errorExpression === 'err' ? 'err' : `err: ${errorExpression}`;
  const fields = context ? `${errProperty}, ${context}` : errProperty;
  switch (logger.style) {
    case 'pino':
      return `${logger.expression}.${level}({ ${fields} }, ${quoted})`;
    case 'winston':
      return `${logger.expression}.${level}(${quoted}, { ${fields} })`;
    case 'nest':
      // Nest's `warn(message, context?)` has no stack parameter: the error's message goes into the text.
      return level === 'warn'
        ? `${logger.expression}.warn(${quoted} + ${quote}: ${quote} + (${errorExpression} instanceof Error ? ${errorExpression}.message : String(${errorExpression})))`
        : `${logger.expression}.error(${quoted}, ${errorExpression} instanceof Error ? ${errorExpression}.stack : String(${errorExpression}))`;
    case 'console-json': {
      const extra = context ? `, ${context}` : '';
      return `console.${level}(JSON.stringify({ level: '${level}', msg: ${quoted}${extra}, err: ${errorExpression} instanceof Error ? { message: ${errorExpression}.message, stack: ${errorExpression}.stack } : String(${errorExpression}) }))`;
    }
  }
}
