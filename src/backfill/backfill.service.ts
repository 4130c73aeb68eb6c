import { Injectable, Logger } from '@nestjs/common';
import { InvalidClerkPayload } from '../clerk/invalid-clerk-payload.error';
import { ClerkService } from '../clerk/clerk.service';
import { mapLimited } from '../common/map-limited';
import { MembershipsRepository } from '../organizations/memberships.repository';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { OrganizationsSyncService } from '../organizations/organizations-sync.service';
import type { SyncResult } from '../sync/sync.rule';
import { UsersRepository } from '../users/users.repository';
import { BACKFILL, BACKFILL_KINDS, BackfillKind, backfillKinds, KindHandler, RECONCILE } from './backfill-kinds';
import { BackfillError, withClerkRetries } from './clerk-retries';

export interface BackfillCounts {
  created: number;
  updated: number;
  /** Already stored at this version, or at a newer one (a webhook was faster). */
  unchanged: number;
  /** Deleted here: the tombstone holds, the object is not brought back. */
  skippedDeleted: number;
  /** Live here, gone from Clerk (confirmed one by one): tombstoned. */
  removed: number;
  /** Clerk returned an object without an id or with unusable data. */
  invalid: number;
}

/** What `syncUsers` did to one user. */
export interface UserSyncResult {
  id: string;
  /**
   * `removed`: Clerk has no such user, so it is tombstoned here (or would be, in a dry run);
   * `gone`: Clerk has no such user and it is deleted here already.
   */
  outcome: Exclude<keyof BackfillCounts, 'removed' | 'invalid'> | 'removed' | 'gone' | 'invalid';
  /** Why Clerk's user could not be used, for `invalid`. */
  reason?: string;
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
  /** The kinds to reconcile; all of them by default. */
  kinds?: readonly BackfillKind[];
  onProgress?: (progress: BackfillProgress) => void;
  /** Told about each wait, so the operator sees why nothing moves. */
  onWait?: (message: string) => void;
}

/** The count a write of the copy adds to. */
function countOf({ outcome, found }: SyncResult): keyof BackfillCounts {
  if (found === 'tombstone') return 'skippedDeleted';
  if (outcome === 'stale') return 'unchanged';
  return found === 'nothing' ? 'created' : 'updated';
}

/** Confirmation lookups in flight at once (each also waits for its share of Clerk's rate limit). */
const CONFIRM_CONCURRENCY = 4;

/**
 * A reconciliation of the database with Clerk, as `npm run users:backfill` and the service's timer
 * (RECONCILE_INTERVAL_MINUTES) run it:
 * - the **backfill** copies every user, organization and membership from Clerk through the rule,
 *   page by page in order of creation (users by Clerk's `starting_after` cursor, the others by
 *   offset: Clerk offers no cursor there);
 * - then, only once every listing is complete, what is live here but was not listed is
 *   tombstoned, each confirmed gone by a direct lookup.
 * Every write is conditional, so a run beside live webhooks or a second run never makes anything
 * older, and never brings a deleted object back.
 */
@Injectable()
export class BackfillService {
  private readonly logger = new Logger(BackfillService.name);
  private readonly kinds: Record<BackfillKind, KindHandler>;

  constructor(
    private readonly users: UsersRepository,
    organizations: OrganizationsRepository,
    memberships: MembershipsRepository,
    membershipSync: OrganizationsSyncService,
    private readonly clerk: ClerkService,
  ) {
    this.kinds = backfillKinds(users, organizations, memberships, membershipSync, clerk);
  }

  async run({ kinds = BACKFILL_KINDS, ...options }: BackfillOptions = {}): Promise<BackfillProgress[]> {
    const startedAt = new Date();
    const copied: { progress: BackfillProgress; listed: Set<string> }[] = [];
    try {
      for (const kind of kinds) copied.push(await this.backfillKind(kind, options));
    } catch (error) {
      if (!(error instanceof BackfillError)) throw error;
      throw new BackfillError(`${error.message} Nothing was removed: removal waits for a complete listing.`);
    }
    for (const { progress, listed } of copied) await this.tombstoneGone(progress, listed, startedAt, options);
    return copied.map(({ progress }) => progress);
  }

  /**
   * Syncs just these users from Clerk now, by the rules of a run: each is fetched by a direct
   * lookup and written if newer (created, updated, or left alone when stored at this version or
   * newer, or deleted here); a user Clerk does not have (404) is tombstoned.
   */
  async syncUsers(ids: readonly string[], { dryRun = false, onWait }: BackfillOptions = {}): Promise<UserSyncResult[]> {
    const results: UserSyncResult[] = [];
    for (const id of ids) {
      let user;
      try {
        user = await withClerkRetries(() => this.clerk.getUser(id, { bulk: true }), `fetching ${id}`, onWait);
      } catch (error) {
        if (!(error instanceof InvalidClerkPayload)) throw error;
        results.push({ id, outcome: 'invalid', reason: error.message });
        continue;
      }
      if (user) {
        const [result] = await this.users.syncPage([user], BACKFILL, { dryRun });
        results.push({ id, outcome: countOf(result) });
      } else if (dryRun) {
        results.push({ id, outcome: (await this.users.isTombstoned(id)) ? 'gone' : 'removed' });
      } else {
        const { outcome } = await this.users.tombstone(id, RECONCILE);
        results.push({ id, outcome: outcome === 'applied' ? 'removed' : 'gone' });
      }
    }
    return results;
  }

  private async backfillKind(
    kind: BackfillKind,
    { dryRun = false, pageSize = 100, onProgress, onWait }: BackfillOptions,
  ): Promise<{ progress: BackfillProgress; listed: Set<string> }> {
    const counts: BackfillCounts = { created: 0, updated: 0, unchanged: 0, skippedDeleted: 0, removed: 0, invalid: 0 };
    const listed = new Set<string>();
    let done = 0;
    let total = 0;
    for await (const page of this.kinds[kind].pages(pageSize, onWait)) {
      total = Math.max(page.totalCount, done + page.listed);
      for (const id of page.ids) listed.add(id);
      for (const reason of page.invalid) this.logger.warn(`Skipped an unusable ${kind} entry from Clerk: ${reason}`);
      counts.invalid += page.invalid.length;
      for (const result of await page.write(dryRun)) counts[countOf(result)]++;
      done += page.listed;
      onProgress?.({ kind, done, total, counts });
    }
    return { progress: { kind, done, total, counts }, listed };
  }

  /**
   * Tombstones what is live here, was stored before the run began, and was not listed, once a
   * direct lookup says Clerk has no such object. A listing is not a snapshot: an object
   * deleted in Clerk mid-run shifts later ones onto offset pages already read (organizations,
   * memberships), so a live object can be missing from the listing. The lookup is what makes removal safe; a missed object is copied by
   * the next run. Objects stored since the run began may be newer than the listing: never removed.
   */
  private async tombstoneGone(
    progress: BackfillProgress,
    listed: Set<string>,
    startedAt: Date,
    { dryRun = false, onWait }: BackfillOptions,
  ): Promise<void> {
    const handler = this.kinds[progress.kind];
    const candidates = [];
    for await (const candidate of handler.storedBefore(startedAt))
      if (!listed.has(candidate._id)) candidates.push(candidate);
    await mapLimited(candidates, CONFIRM_CONCURRENCY, async (candidate) => {
      const where = `confirming ${progress.kind} ${candidate._id}`;
      if (await withClerkRetries(() => handler.existsInClerk(candidate), where, onWait)) return;
      if (dryRun || (await handler.tombstone(candidate._id)).outcome === 'applied') progress.counts.removed++;
    });
  }
}
