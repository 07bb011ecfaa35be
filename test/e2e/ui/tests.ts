import type { Page } from 'playwright-core';

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

export const UI_TESTS: UiTest[] = [];
