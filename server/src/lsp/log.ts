import type { RemoteConsole } from 'vscode-languageserver/node';

/**
 * The output channel, with memory: messages about a file or a setting are written once, not on every keystroke.
 * A key is forgotten when its condition clears, so it is reported again if it comes back.
 */
export class OutputLog {
  private readonly written = new Set<string>();

  constructor(private readonly console: RemoteConsole) {}

  info(message: string): void {
    this.console.info(message);
  }

  error(message: string): void {
    this.console.error(message);
  }

  /** Writes `message` unless something was already written under `key` (and not forgotten). Returns whether it wrote. */
  once(key: string, message: string, level: 'info' | 'warn' | 'error' = 'info'): boolean {
    if (this.written.has(key)) return false;
    this.written.add(key);
    this.console[level](message);
    return true;
  }

  /** Forgets every key that starts with `prefix`. */
  forget(prefix: string): void {
    for (const key of [...this.written]) {
      if (key.startsWith(prefix)) this.written.delete(key);
    }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
