import type { Rule } from '../engine/types';
import { missingTimeout } from './missing-timeout';
import { unhandledExternalFailure } from './unhandled-external-failure';
import { floatingPromise } from './floating-promise';
import { swallowedError } from './swallowed-error';
import { errorCauseLost } from './error-cause-lost';
import { unstructuredLog } from './unstructured-log';
import { sensitiveDataInLog } from './sensitive-data-in-log';
import { paymentWithoutIdempotencyKey } from './payment-without-idempotency-key';
import { nonIdempotentCreateHandler } from './non-idempotent-create-handler';
import { missingRateLimit } from './missing-rate-limit';
import { missingGracefulShutdown } from './missing-graceful-shutdown';
import { retryWithoutBackoff } from './retry-without-backoff';
import { cacheWithoutTtl } from './cache-without-ttl';
import { awaitInLoop } from './await-in-loop';
import { sequentialAwaits } from './sequential-awaits';
import { hardcodedSecret } from './hardcoded-secret';

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
  nonIdempotentCreateHandler,
  missingRateLimit,
  missingGracefulShutdown,
  retryWithoutBackoff,
  cacheWithoutTtl,
  awaitInLoop,
  sequentialAwaits,
  hardcodedSecret,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
