import type { Rule } from '../engine/types';
import { missingTimeout } from './missing-timeout';

/** Every rule Failpath ships, in catalog order. A rule is listed here only when it is complete. */
export const ALL_RULES: readonly Rule[] = [
  missingTimeout,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
