import type { Rule } from '../engine/types';
import { missingTimeout } from './missing-timeout';
import { unhandledExternalFailure } from './unhandled-external-failure';
import { floatingPromise } from './floating-promise';
import { swallowedError } from './swallowed-error';
import { errorCauseLost } from './error-cause-lost';
import { unstructuredLog } from './unstructured-log';
import { sensitiveDataInLog } from './sensitive-data-in-log';
import { paymentWithoutIdempotencyKey } from './payment-without-idempotency-key';
import { missingRateLimit } from './missing-rate-limit';
import { missingGracefulShutdown } from './missing-graceful-shutdown';
import { retryWithoutBackoff } from './retry-without-backoff';
import { cacheWithoutTtl } from './cache-without-ttl';

/** Every rule Failpath ships, in catalog order. A rule is listed here only when it is complete. */
export const ALL_RULES: readonly Rule[] = [
  missingTimeout,
  unhandledExternalFailure,
  floatingPromise,
  swallowedError,
  errorCauseLost,
  unstructuredLog,
  sensitiveDataInLog,
  paymentWithoutIdempotencyKey,
  missingRateLimit,
  missingGracefulShutdown,
  retryWithoutBackoff,
  cacheWithoutTtl,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
