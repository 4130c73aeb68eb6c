import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { ClerkApiError } from '../clerk/clerk-api.error';
import { ClerkService, ClerkUserPage } from '../clerk/clerk.service';
import { SyncOutcome, UsersService } from '../users/users.service';

export const BACKFILL = 'backfill';

export interface BackfillCounts {
  created: number;
  updated: number;
  /** Already stored at this version, or at a newer one (a webhook was faster). */
  unchanged: number;
  /** Deleted here: the tombstone holds, the user is not brought back. */
  skippedDeleted: number;
  /** Clerk returned a user without an id or with unusable data. */
  invalid: number;
}

export interface BackfillProgress {
  done: number;
  total: number;
  counts: BackfillCounts;
}

export interface BackfillOptions {
  dryRun?: boolean;
  /** Users per Backend API page (Clerk allows 1 to 500). */
  pageSize?: number;
  onProgress?: (progress: BackfillProgress) => void;
  /** Told about each wait, so the operator sees why nothing moves. */
  onWait?: (message: string) => void;
}

export class BackfillError extends Error {
  override readonly name = 'BackfillError';
}

/** Transient failures (5xx, network) are retried this many times, with doubling waits. */
export const TRANSIENT_RETRIES = 4;
const FIRST_BACKOFF_MS = 500;
/** A 429 without Retry-After waits this long. */
const DEFAULT_RETRY_AFTER_S = 1;
/** Bounds a run that Clerk keeps throttling, so that it ends with a message rather than hangs. */
const MAX_CONSECUTIVE_429 = 30;

const OUTCOME_COUNT: Record<SyncOutcome, keyof BackfillCounts> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  stale: 'unchanged',
  tombstoned: 'skippedDeleted',
  deleted: 'skippedDeleted',
};

/**
 * Copies every Clerk user into the database through the users service, page by page in
 * order of creation (users who sign up during the run land on later pages). Every write is
 * conditional, so a run beside live webhooks or a second run never makes anything older.
 */
@Injectable()
export class BackfillService {
  private readonly logger = new Logger(BackfillService.name);

  constructor(
    private readonly users: UsersService,
    private readonly clerk: ClerkService,
  ) {}

  async run({ dryRun = false, pageSize = 100, onProgress, onWait }: BackfillOptions = {}): Promise<BackfillProgress> {
    const counts: BackfillCounts = { created: 0, updated: 0, unchanged: 0, skippedDeleted: 0, invalid: 0 };
    let offset = 0;
    let total = 0;
    for (;;) {
      const page = await this.fetchPage(offset, pageSize, onWait);
      const listed = page.users.length + page.invalid.length;
      total = Math.max(page.totalCount, offset + listed);
      for (const reason of page.invalid) this.logger.warn(`Skipped an unusable user from Clerk: ${reason}`);
      counts.invalid += page.invalid.length;
      const outcomes = await this.users.syncPageFromClerk(page.users, BACKFILL, { dryRun });
      for (const outcome of outcomes) counts[OUTCOME_COUNT[outcome]]++;
      offset += listed;
      onProgress?.({ done: offset, total, counts });
      if (listed < pageSize) break;
    }
    return { done: offset, total, counts };
  }

  /** One page, waiting out 429s as Clerk asks and retrying transient failures with backoff. */
  private async fetchPage(offset: number, limit: number, onWait?: (message: string) => void): Promise<ClerkUserPage> {
    let transientFailures = 0;
    let throttled = 0;
    for (;;) {
      try {
        return await this.clerk.getUserPage(offset, limit);
      } catch (error) {
        if (!(error instanceof ClerkApiError)) throw error;
        const { failure, retryAfter } = error;
        if (failure === 'throttled' && ++throttled <= MAX_CONSECUTIVE_429) {
          const seconds = retryAfter ?? DEFAULT_RETRY_AFTER_S;
          onWait?.(`Clerk rate limit (429): waiting ${seconds}s as Retry-After asks`);
          await sleep(seconds * 1000);
          continue;
        }
        const transient = error.transient;
        if (transient && ++transientFailures <= TRANSIENT_RETRIES) {
          const delay = FIRST_BACKOFF_MS * 2 ** (transientFailures - 1);
          onWait?.(
            `Clerk's Backend API failed (${describe(error)}): retry ${transientFailures}/${TRANSIENT_RETRIES} in ${delay} ms`,
          );
          await sleep(delay);
          continue;
        }
        throw new BackfillError(
          `Clerk's Backend API failed at offset ${offset} (${describe(error)})` +
            (transient ? ` after ${TRANSIENT_RETRIES} retries` : '') +
            '. Nothing written is lost; run the backfill again, it is safe to repeat.',
        );
      }
    }
  }
}

function describe({ failure, status, message }: ClerkApiError): string {
  if (status === undefined) return failure === 'unavailable' ? `network error: ${message}` : message;
  return failure === 'refused' ? `HTTP ${status}: check CLERK_SECRET_KEY` : `HTTP ${status}`;
}
