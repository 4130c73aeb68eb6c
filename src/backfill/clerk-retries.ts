import { setTimeout as sleep } from 'node:timers/promises';
import { ClerkApiError } from '../clerk/clerk-api.error';

/** Transient failures (5xx, network) are retried this many times, with doubling waits. */
const TRANSIENT_RETRIES = 4;
const FIRST_BACKOFF_MS = 500;
/** A 429 without Retry-After waits this long. */
const DEFAULT_RETRY_AFTER_S = 1;
/** Bounds a run that Clerk keeps throttling, so that it ends with a message rather than hangs. */
const MAX_CONSECUTIVE_429 = 30;

export class BackfillError extends Error {
  override readonly name = 'BackfillError';
}

/**
 * One Backend API call for a run: waits out 429s as Clerk asks and retries transient failures
 * with backoff; anything else, or too many failures, ends the run with a BackfillError that says
 * where and why.
 */
export async function withClerkRetries<T>(
  call: () => Promise<T>,
  where: string,
  onWait?: (message: string) => void,
): Promise<T> {
  let transientFailures = 0;
  let throttled = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ClerkApiError)) throw error;
      if (error.failure === 'throttled' && ++throttled <= MAX_CONSECUTIVE_429) {
        const seconds = error.retryAfter ?? DEFAULT_RETRY_AFTER_S;
        onWait?.(`Clerk rate limit (429): waiting ${seconds}s as Retry-After asks`);
        await sleep(seconds * 1000);
        continue;
      }
      if (error.transient && ++transientFailures <= TRANSIENT_RETRIES) {
        const delay = FIRST_BACKOFF_MS * 2 ** (transientFailures - 1);
        onWait?.(
          `Clerk's Backend API failed (${describe(error)}): retry ${transientFailures}/${TRANSIENT_RETRIES} in ${delay} ms`,
        );
        await sleep(delay);
        continue;
      }
      throw new BackfillError(
        `Clerk's Backend API failed ${where} (${describe(error)})` +
          (error.transient ? ` after ${TRANSIENT_RETRIES} retries` : '') +
          '. Nothing written is lost; run the backfill again, it is safe to repeat.',
      );
    }
  }
}

function describe({ failure, status, message }: ClerkApiError): string {
  if (status === undefined) return failure === 'unavailable' ? `network error: ${message}` : message;
  return failure === 'refused' ? `HTTP ${status}: check CLERK_SECRET_KEY` : `HTTP ${status}`;
}
