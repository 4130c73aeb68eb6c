import { Injectable } from '@nestjs/common';
import type { ClerkMembershipSnapshot } from '../clerk/clerk-organization.schema';
import type { WriteHints } from '../sync/clerk-object.repository';
import { OF_DELETED_USER, SyncResult } from '../sync/sync.rule';
import { UsersRepository } from '../users/users.repository';
import { MembershipsRepository } from './memberships.repository';
import { OrganizationsRepository } from './organizations.repository';

/**
 * The sync side of organizations and memberships (webhooks, the backfill): the rules that span
 * them. Each object alone follows the rule through its repository (`sync.rule.ts`); here, a
 * membership of a user deleted here is stale (`OF_DELETED_USER`) on every write path, and a
 * membership event also carries its organization.
 */
@Injectable()
export class OrganizationsSyncService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
  ) {}

  /**
   * Stores the membership, and the copy of its organization the event carried when that copy is
   * newer than the stored one: a membership that arrives first still shows its organization.
   */
  async syncMembership(
    membership: ClerkMembershipSnapshot,
    writtenBy: string,
    hints: WriteHints = {},
  ): Promise<SyncResult> {
    if (await this.users.isTombstoned(membership.userId)) return OF_DELETED_USER;
    const [result] = await Promise.all([
      this.memberships.syncVersion(membership, writtenBy, hints),
      this.organizations.syncVersion(membership.organization, writtenBy),
    ]);
    return result;
  }

  /** Tombstones the membership; its organization's copy is stored as for `syncMembership`. */
  async tombstoneMembership(
    membership: ClerkMembershipSnapshot,
    writtenBy: string,
    hints: WriteHints = {},
  ): Promise<SyncResult> {
    const [result] = await Promise.all([
      this.memberships.tombstone(membership.id, writtenBy, hints),
      this.organizations.syncVersion(membership.organization, writtenBy),
    ]);
    return result;
  }

  /**
   * A page of memberships (the backfill): one read finds which members are deleted here, and
   * their memberships are stale; the others go through the rule as a page.
   */
  async syncMembershipPage(
    memberships: ClerkMembershipSnapshot[],
    writtenBy: string,
    options: { dryRun?: boolean } = {},
  ): Promise<SyncResult[]> {
    const deleted = new Set(await this.users.findTombstonedIds(memberships.map((membership) => membership.userId)));
    const kept = memberships.filter((membership) => !deleted.has(membership.userId));
    const written = await this.memberships.syncPage(kept, writtenBy, options);
    const results = new Map(kept.map((membership, index) => [membership, written[index]]));
    return memberships.map((membership) => results.get(membership) ?? OF_DELETED_USER);
  }
}
