import { ClerkService } from '../clerk/clerk.service';
import { MembershipsRepository } from '../organizations/memberships.repository';
import type { OrganizationsSyncService } from '../organizations/organizations-sync.service';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import type { SyncResult } from '../sync/sync.rule';
import { UsersRepository } from '../users/users.repository';
import { cursorWalk, offsetWalk, PageWalk } from './page-walks';

/** What a run copies, in this order. */
export const BACKFILL_KINDS = ['users', 'organizations', 'memberships'] as const;
export type BackfillKind = (typeof BACKFILL_KINDS)[number];

export const BACKFILL = 'backfill';
/** What wrote the tombstone of an object Clerk no longer has. */
export const RECONCILE = 'reconcile';

/** A stored live object that may be gone from Clerk, with what confirming that needs. */
interface Candidate {
  _id: string;
  organizationId?: string;
  userId?: string;
}

/** How a run handles one kind of Clerk object. */
export interface KindHandler {
  /** Its pages, in order of creation. */
  pages: PageWalk;
  storedBefore(before: Date): AsyncIterable<Candidate>;
  /** A direct Backend API lookup: only a definite "no such object" answers false. */
  existsInClerk(candidate: Candidate): Promise<boolean>;
  tombstone(id: string): Promise<SyncResult>;
}

/** Each kind's listing, writes, candidates, confirmation and tombstone. */
export function backfillKinds(
  users: UsersRepository,
  organizations: OrganizationsRepository,
  memberships: MembershipsRepository,
  membershipSync: OrganizationsSyncService,
  clerk: ClerkService,
): Record<BackfillKind, KindHandler> {
  return {
    users: {
      pages: cursorWalk(
        (after, limit) => clerk.getUserPageAfter(after, limit),
        () => clerk.getUserCount(),
        (items, dryRun) => users.syncPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => users.findLiveStoredBefore(before),
      existsInClerk: ({ _id }) => clerk.userExists(_id),
      tombstone: (id) => users.tombstone(id, RECONCILE),
    },
    organizations: {
      pages: offsetWalk(
        (offset, limit) => clerk.getOrganizationPage(offset, limit),
        (items, dryRun) => organizations.syncPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => organizations.findLiveStoredBefore(before),
      existsInClerk: ({ _id }) => clerk.organizationExists(_id),
      tombstone: (id) => organizations.tombstone(id, RECONCILE),
    },
    memberships: {
      pages: offsetWalk(
        (offset, limit) => clerk.getMembershipPage(offset, limit),
        (items, dryRun) => membershipSync.syncMembershipPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => memberships.findLiveStoredBefore(before, ['organizationId', 'userId']),
      existsInClerk: ({ _id, organizationId, userId }) => clerk.membershipExists(_id, organizationId!, userId!),
      tombstone: (id) => memberships.tombstone(id, RECONCILE),
    },
  };
}
