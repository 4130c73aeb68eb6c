import { ClerkService } from '../clerk/clerk.service';
import type { SyncResult } from '../common/versioned-sync';
import { OrganizationsService } from '../organizations/organizations.service';
import { UsersService } from '../users/users.service';
import { cursorWalk, offsetWalk, PageWalk } from './page-walks';

/** What a run copies, in this order. */
export const BACKFILL_KINDS = ['users', 'organizations', 'memberships'] as const;
export type BackfillKind = (typeof BACKFILL_KINDS)[number];

export const BACKFILL = 'backfill';
/** What wrote the tombstone of an object Clerk no longer has. */
export const RECONCILE = 'reconcile';

/** A stored live object that may be gone from Clerk, with what confirming that needs. */
export interface Candidate {
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
  remove(id: string): Promise<SyncResult>;
}

/** Each kind's listing, rules, candidates, confirmation and removal. */
export function backfillKinds(
  users: UsersService,
  organizations: OrganizationsService,
  clerk: ClerkService,
): Record<BackfillKind, KindHandler> {
  return {
    users: {
      pages: cursorWalk(
        (after, limit) => clerk.getUserPageAfter(after, limit),
        () => clerk.getUserCount(),
        (items, dryRun) => users.syncPageFromClerk(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => users.liveStoredBefore(before),
      existsInClerk: ({ _id }) => clerk.userExists(_id),
      remove: (id) => users.markDeleted(id, RECONCILE),
    },
    organizations: {
      pages: offsetWalk(
        (offset, limit) => clerk.getOrganizationPage(offset, limit),
        (items, dryRun) => organizations.syncOrganizationPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => organizations.organizationsStoredBefore(before),
      existsInClerk: ({ _id }) => clerk.organizationExists(_id),
      remove: (id) => organizations.deleteOrganization(id, RECONCILE),
    },
    memberships: {
      pages: offsetWalk(
        (offset, limit) => clerk.getMembershipPage(offset, limit),
        (items, dryRun) => organizations.syncMembershipPage(items, BACKFILL, { dryRun }),
      ),
      storedBefore: (before) => organizations.membershipsStoredBefore(before),
      existsInClerk: ({ _id, organizationId, userId }) => clerk.membershipExists(_id, organizationId!, userId!),
      remove: (id) => organizations.deleteMembershipById(id, RECONCILE),
    },
  };
}
