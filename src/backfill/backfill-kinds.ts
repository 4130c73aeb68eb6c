import type { ClerkPage } from '../clerk/clerk.service';
import { ClerkService } from '../clerk/clerk.service';
import { MembershipsRepository } from '../organizations/memberships.repository';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import type { Versioned } from '../sync/clerk-object.repository';
import type { SyncResult } from '../sync/sync.rule';
import { UsersRepository } from '../users/users.repository';
import { withClerkRetries } from './clerk-retries';

/** What a run copies, in this order. */
export const BACKFILL_KINDS = ['users', 'organizations', 'memberships'] as const;
export type BackfillKind = (typeof BACKFILL_KINDS)[number];

const BACKFILL = 'backfill';
/** What wrote the tombstone of an object Clerk no longer has. */
const RECONCILE = 'reconcile';

/** One page of a kind as listed (with retries), ready to be written through that kind's rules. */
export interface ListedPage {
  /** The ids of the usable entries. */
  ids: string[];
  /** Entries Clerk listed, usable or not. */
  listed: number;
  totalCount: number;
  invalid: string[];
  write(dryRun: boolean): Promise<SyncResult[]>;
}

/** A stored live object that may be gone from Clerk, with what confirming that needs. */
interface Candidate {
  _id: string;
  organizationId?: string;
  userId?: string;
}

/** How a run handles one kind of Clerk object. */
export interface KindHandler {
  listPage(offset: number, limit: number, onWait?: (message: string) => void): Promise<ListedPage>;
  storedBefore(before: Date): AsyncIterable<Candidate>;
  /** A direct Backend API lookup: only a definite "no such object" answers false. */
  existsInClerk(candidate: Candidate): Promise<boolean>;
  tombstone(id: string): Promise<SyncResult>;
}

function pageLister<T extends Versioned>(
  fetch: (offset: number, limit: number) => Promise<ClerkPage<T>>,
  sync: (items: T[], dryRun: boolean) => Promise<SyncResult[]>,
): KindHandler['listPage'] {
  return async (offset, limit, onWait) => {
    const page = await withClerkRetries(() => fetch(offset, limit), `at offset ${offset}`, onWait);
    return {
      ids: page.items.map((item) => item.id),
      listed: page.items.length + page.invalid.length,
      totalCount: page.totalCount,
      invalid: page.invalid,
      write: (dryRun) => sync(page.items, dryRun),
    };
  };
}

/** Each kind's listing, writes, candidates, confirmation and tombstone. */
export function backfillKinds(
  users: UsersRepository,
  organizations: OrganizationsRepository,
  memberships: MembershipsRepository,
  clerk: ClerkService,
): Record<BackfillKind, KindHandler> {
  return {
    users: {
      listPage: pageLister(
        (offset, limit) => clerk.getUserPage(offset, limit),
        (items, dryRun) => users.syncPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => users.findLiveStoredBefore(before),
      existsInClerk: ({ _id }) => clerk.userExists(_id),
      tombstone: (id) => users.tombstone(id, RECONCILE),
    },
    organizations: {
      listPage: pageLister(
        (offset, limit) => clerk.getOrganizationPage(offset, limit),
        (items, dryRun) => organizations.syncPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => organizations.findLiveStoredBefore(before),
      existsInClerk: ({ _id }) => clerk.organizationExists(_id),
      tombstone: (id) => organizations.tombstone(id, RECONCILE),
    },
    memberships: {
      listPage: pageLister(
        (offset, limit) => clerk.getMembershipPage(offset, limit),
        (items, dryRun) => memberships.syncPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => memberships.findLiveStoredBefore(before, ['organizationId', 'userId']),
      existsInClerk: ({ _id, organizationId, userId }) => clerk.membershipExists(_id, organizationId!, userId!),
      tombstone: (id) => memberships.tombstone(id, RECONCILE),
    },
  };
}
