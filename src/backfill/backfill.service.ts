import { Injectable, Logger } from '@nestjs/common';
import type { ClerkPage } from '../clerk/clerk.service';
import { ClerkService } from '../clerk/clerk.service';
import type { SyncOutcome, Versioned } from '../common/versioned-sync';
import { OrganizationsService } from '../organizations/organizations.service';
import { UsersService } from '../users/users.service';
import { withClerkRetries } from './clerk-retries';

export { BackfillError, TRANSIENT_RETRIES } from './clerk-retries';

export const BACKFILL = 'backfill';

/** What a run copies, in this order. */
export const BACKFILL_KINDS = ['users', 'organizations', 'memberships'] as const;
export type BackfillKind = (typeof BACKFILL_KINDS)[number];

export interface BackfillCounts {
  created: number;
  updated: number;
  /** Already stored at this version, or at a newer one (a webhook was faster). */
  unchanged: number;
  /** Deleted here: the tombstone holds, the object is not brought back. */
  skippedDeleted: number;
  /** Clerk returned an object without an id or with unusable data. */
  invalid: number;
}

export interface BackfillProgress {
  kind: BackfillKind;
  done: number;
  total: number;
  counts: BackfillCounts;
}

export interface BackfillOptions {
  dryRun?: boolean;
  /** Objects per Backend API page (Clerk allows 1 to 500). */
  pageSize?: number;
  /** The kinds to copy; all of them by default. */
  kinds?: readonly BackfillKind[];
  onProgress?: (progress: BackfillProgress) => void;
  /** Told about each wait, so the operator sees why nothing moves. */
  onWait?: (message: string) => void;
}

const OUTCOME_COUNT: Record<SyncOutcome, keyof BackfillCounts> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  stale: 'unchanged',
  tombstoned: 'skippedDeleted',
  deleted: 'skippedDeleted',
};

/** One page of a kind, fetched (with retries) and written through the rules that kind follows. */
interface CopiedPage {
  /** Entries Clerk listed, usable or not. */
  listed: number;
  totalCount: number;
  invalid: string[];
  outcomes: SyncOutcome[];
}
type PageCopier = (
  offset: number,
  limit: number,
  dryRun: boolean,
  onWait?: (message: string) => void,
) => Promise<CopiedPage>;

function pageCopier<T extends Versioned>(
  fetch: (offset: number, limit: number) => Promise<ClerkPage<T>>,
  sync: (items: T[], dryRun: boolean) => Promise<SyncOutcome[]>,
): PageCopier {
  return async (offset, limit, dryRun, onWait) => {
    const page = await withClerkRetries(() => fetch(offset, limit), `at offset ${offset}`, onWait);
    const outcomes = await sync(page.items, dryRun);
    return {
      listed: page.items.length + page.invalid.length,
      totalCount: page.totalCount,
      invalid: page.invalid,
      outcomes,
    };
  };
}

/**
 * Copies Clerk's users, organizations and memberships into the database through the services
 * that own their rules, page by page in order of creation (objects created during the run land
 * on later pages). Every write is conditional, so a run beside live webhooks or a second run never
 * makes anything older, and never brings a deleted object back.
 */
@Injectable()
export class BackfillService {
  private readonly logger = new Logger(BackfillService.name);
  private readonly copiers: Record<BackfillKind, PageCopier>;

  constructor(users: UsersService, organizations: OrganizationsService, clerk: ClerkService) {
    this.copiers = {
      users: pageCopier(
        (offset, limit) => clerk.getUserPage(offset, limit),
        (items, dryRun) => users.syncPageFromClerk(items, BACKFILL, { dryRun }),
      ),
      organizations: pageCopier(
        (offset, limit) => clerk.getOrganizationPage(offset, limit),
        (items, dryRun) => organizations.syncOrganizationPage(items, BACKFILL, { dryRun }),
      ),
      memberships: pageCopier(
        (offset, limit) => clerk.getMembershipPage(offset, limit),
        (items, dryRun) => organizations.syncMembershipPage(items, BACKFILL, { dryRun }),
      ),
    };
  }

  async run({ kinds = BACKFILL_KINDS, ...options }: BackfillOptions = {}): Promise<BackfillProgress[]> {
    const results: BackfillProgress[] = [];
    for (const kind of kinds) results.push(await this.copy(kind, options));
    return results;
  }

  private async copy(
    kind: BackfillKind,
    { dryRun = false, pageSize = 100, onProgress, onWait }: BackfillOptions,
  ): Promise<BackfillProgress> {
    const copyPage = this.copiers[kind];
    const counts: BackfillCounts = { created: 0, updated: 0, unchanged: 0, skippedDeleted: 0, invalid: 0 };
    let offset = 0;
    let total = 0;
    for (;;) {
      const { listed, totalCount, invalid, outcomes } = await copyPage(offset, pageSize, dryRun, onWait);
      total = Math.max(totalCount, offset + listed);
      for (const reason of invalid) this.logger.warn(`Skipped an unusable ${kind} entry from Clerk: ${reason}`);
      counts.invalid += invalid.length;
      for (const outcome of outcomes) counts[OUTCOME_COUNT[outcome]]++;
      offset += listed;
      onProgress?.({ kind, done: offset, total, counts });
      if (listed < pageSize) return { kind, done: offset, total, counts };
    }
  }
}
