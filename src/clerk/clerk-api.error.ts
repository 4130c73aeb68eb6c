/**
 * What went wrong with a Backend API call, in the terms callers act on:
 * - `not_found`: Clerk has no such object (404);
 * - `refused`: Clerk refused our CLERK_SECRET_KEY (401, 403);
 * - `throttled`: Clerk's rate limit (429), with the wait it asked for;
 * - `unavailable`: Clerk could not be reached, or failed (5xx);
 * - `unusable`: Clerk answered, but with something we cannot use (another 4xx, a body that is not
 *   the JSON expected, an id the SDK refuses).
 */
export type ClerkFailure = 'not_found' | 'refused' | 'throttled' | 'unavailable' | 'unusable';

/** A failed Backend API call; `status` is undefined when no HTTP answer came. */
export class ClerkApiError extends Error {
  override readonly name = 'ClerkApiError';

  constructor(
    readonly failure: ClerkFailure,
    message: string,
    readonly status?: number,
    /** Seconds to wait, from a 429's Retry-After. */
    readonly retryAfter?: number,
    /** Clerk's trace id for its support, when it sent one. */
    readonly traceId?: string,
  ) {
    super(message);
  }

  /** Worth trying again later (the backfill retries these; /me answers 503). */
  get transient(): boolean {
    return this.failure === 'unavailable' || this.failure === 'throttled';
  }
}

/** Error codes of a request that never reached Clerk or never came back. */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

function failureOf(status: number | undefined): ClerkFailure {
  if (status === 404) return 'not_found';
  if (status === 401 || status === 403) return 'refused';
  if (status === 429) return 'throttled';
  return status !== undefined && status >= 500 ? 'unavailable' : 'unusable';
}

/** The SDK's reason when Clerk's answer was not JSON. */
const UNPARSABLE_ANSWER = /JSON|Unexpected token|Unexpected end/;

/** The SDK reports a failed fetch as an answer without status whose one error says why. */
const NETWORK_MESSAGE = /fetch failed|network|socket|ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|timed? ?out/i;

function isNetworkError(error: unknown, message: string): boolean {
  const { name, cause } = (error ?? {}) as { name?: string; cause?: { code?: string } };
  if (name === 'AbortError' || name === 'TimeoutError') return true;
  if (cause?.code && NETWORK_CODES.has(cause.code)) return true;
  return NETWORK_MESSAGE.test(message);
}

/** Translates whatever `@clerk/backend` threw into a ClerkApiError; `what` names the call for messages. */
export function toClerkApiError(error: unknown, what: string): ClerkApiError {
  if (error instanceof ClerkApiError) return error;
  const { name, status, retryAfter, clerkTraceId, message, errors } = (error ?? {}) as {
    name?: unknown;
    status?: unknown;
    retryAfter?: unknown;
    clerkTraceId?: unknown;
    message?: unknown;
    errors?: { message?: unknown }[];
  };
  const traceId = typeof clerkTraceId === 'string' && clerkTraceId !== '' ? clerkTraceId : undefined;
  if (typeof status === 'number') {
    const seconds = typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : undefined;
    return new ClerkApiError(failureOf(status), `${what}: HTTP ${status}`, status, seconds, traceId);
  }
  const reason = String(errors?.[0]?.message || message || name || error);
  // An API error without a status is one where no usable HTTP answer came back: the SDK wraps a
  // failed fetch so (its reason is lost when the fetch error comes from another realm), and a
  // body that is not JSON, which is Clerk's answer but not one we can use.
  const noAnswer = name === 'ClerkAPIResponseError' && !UNPARSABLE_ANSWER.test(reason);
  if (noAnswer || isNetworkError(error, reason)) {
    return new ClerkApiError('unavailable', `${what}: Clerk could not be reached (${reason})`);
  }
  return new ClerkApiError('unusable', `${what}: ${reason}`, undefined, undefined, traceId);
}
