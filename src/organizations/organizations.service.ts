import { Injectable } from '@nestjs/common';
import type { ClerkMembershipSnapshot } from '../clerk/clerk-organization.schema';
import type { SyncResult } from '../sync/sync.rule';
import { UsersRepository } from '../users/users.repository';
import { MembershipsRepository } from './memberships.repository';
import type { Organization } from './organization.schema';
import { OrganizationsRepository } from './organizations.repository';

/** A user's membership of a live organization, as /me lists it. */
export interface UserOrganization {
  organization: Organization;
  role: string;
}

/**
 * The rules that span organizations and memberships. Each object alone follows the rule through
 * its repository (`sync.rule.ts`); here, a membership event also carries its organization.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
  ) {}

  /**
   * Stores the membership, and the copy of its organization the event carried when that copy is
   * newer than the stored one: a membership that arrives first still shows its organization.
   */
  async syncMembership(membership: ClerkMembershipSnapshot, writtenBy: string): Promise<SyncResult> {
    // A membership of a user deleted here is an event about a deleted user: stale, nothing stored.
    if (await this.users.isTombstoned(membership.userId)) return { outcome: 'stale', found: 'nothing' };
    const [result] = await Promise.all([
      this.memberships.syncVersion(membership, writtenBy),
      this.organizations.syncVersion(membership.organization, writtenBy),
    ]);
    return result;
  }

  /** Tombstones the membership; its organization's copy is stored as for `syncMembership`. */
  async tombstoneMembership(membership: ClerkMembershipSnapshot, writtenBy: string): Promise<SyncResult> {
    const [result] = await Promise.all([
      this.memberships.tombstone(membership.id, writtenBy),
      this.organizations.syncVersion(membership.organization, writtenBy),
    ]);
    return result;
  }

  /** The user's live memberships of live organizations, by organization name. */
  async listUserOrganizations(userId: string): Promise<UserOrganization[]> {
    const memberships = await this.memberships.findLiveOfUser(userId);
    if (!memberships.length) return [];
    const organizations = await this.organizations.findLive(
      memberships.map((membership) => membership.organizationId!),
    );
    const byId = new Map(organizations.map((organization) => [organization._id, organization]));
    return memberships
      .flatMap(({ organizationId, role }) => {
        const organization = byId.get(organizationId!);
        return organization ? [{ organization, role: role! }] : [];
      })
      .sort(
        (a, b) =>
          (a.organization.name ?? '').localeCompare(b.organization.name ?? '') ||
          a.organization._id.localeCompare(b.organization._id),
      );
  }
}
