import type { Rule } from '../engine/types';
import { missingTimeout } from './missing-timeout';
import { unhandledExternalFailure } from './unhandled-external-failure';
import { swallowedError } from './swallowed-error';
import { errorCauseLost } from './error-cause-lost';
import { unstructuredLog } from './unstructured-log';
import { paymentWithoutIdempotencyKey } from './payment-without-idempotency-key';

/** Every rule Failpath ships, in catalog order. A rule is listed here only when it is complete. */
export const ALL_RULES: readonly Rule[] = [
  missingTimeout,
  unhandledExternalFailure,
  swallowedError,
  errorCauseLost,
  unstructuredLog,
  paymentWithoutIdempotencyKey,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
