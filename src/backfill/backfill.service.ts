import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { ClerkService, clerkApiFailure } from '../clerk/clerk.service';
import { ClerkUserSnapshot, InvalidClerkUserError, toClerkUserSnapshot } from '../users/clerk-user.dto';
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
      total = Math.max(page.totalCount, offset + page.users.length);
      const snapshots = page.users.flatMap((json) => this.snapshot(json, counts));
      const outcomes = await this.users.syncPageFromClerk(snapshots, BACKFILL, { dryRun });
      for (const outcome of outcomes) counts[OUTCOME_COUNT[outcome]]++;
      offset += page.users.length;
      onProgress?.({ done: offset, total, counts });
      if (page.users.length < pageSize) break;
    }
    return { done: offset, total, counts };
  }

  private snapshot(json: unknown, counts: BackfillCounts): ClerkUserSnapshot[] {
    try {
      return [toClerkUserSnapshot(json)];
    } catch (error) {
      if (!(error instanceof InvalidClerkUserError)) throw error;
      this.logger.warn(`Skipped an unusable user from Clerk: ${error.message}`);
      counts.invalid++;
      return [];
    }
  }

  /** One page, waiting out 429s as Clerk asks and retrying transient failures with backoff. */
  private async fetchPage(offset: number, limit: number, onWait?: (message: string) => void) {
    let transientFailures = 0;
    let throttled = 0;
    for (;;) {
      try {
        return await this.clerk.getUserPage(offset, limit);
      } catch (error) {
        const { status, retryAfter } = clerkApiFailure(error);
        if (status === 429 && ++throttled <= MAX_CONSECUTIVE_429) {
          const seconds = retryAfter ?? DEFAULT_RETRY_AFTER_S;
          onWait?.(`Clerk rate limit (429): waiting ${seconds}s as Retry-After asks`);
          await sleep(seconds * 1000);
          continue;
        }
        const transient = status === undefined || status >= 500;
        if (transient && ++transientFailures <= TRANSIENT_RETRIES) {
          const delay = FIRST_BACKOFF_MS * 2 ** (transientFailures - 1);
          onWait?.(`Clerk's Backend API failed (${describe(status, error)}): retry ${transientFailures}/${TRANSIENT_RETRIES} in ${delay} ms`);
          await sleep(delay);
          continue;
        }
        throw new BackfillError(
          `Clerk's Backend API failed at offset ${offset} (${describe(status, error)})` +
            (transient ? ` after ${TRANSIENT_RETRIES} retries` : '') +
            '. Nothing written is lost; run the backfill again, it is safe to repeat.',
        );
      }
    }
  }
}

function describe(status: number | undefined, error: unknown): string {
  if (status === undefined) return `network error: ${(error as Error).message}`;
  return status === 401 || status === 403 ? `HTTP ${status}: check CLERK_SECRET_KEY` : `HTTP ${status}`;
}
