import { Injectable } from '@nestjs/common';
import type { ClerkMembershipSnapshot, ClerkOrganizationSnapshot } from '../clerk/clerk-organization.schema';
import { SyncOutcome, SyncResult, VersionedSync } from '../common/versioned-sync';
import { MembershipsRepository } from './memberships.repository';
import type { Organization } from './organization.schema';
import { OrganizationsRepository } from './organizations.repository';

/** A user's membership of a live organization, as /me lists it. */
export interface UserOrganization {
  organization: Organization;
  role: string;
}

/**
 * The rules for organizations and memberships, as for users: the newest version wins and a
 * deleted object stays deleted, whatever the source (webhooks, the backfill).
 */
@Injectable()
export class OrganizationsService {
  private readonly organizationVersions: VersionedSync<ClerkOrganizationSnapshot>;
  private readonly membershipVersions: VersionedSync<ClerkMembershipSnapshot>;

  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: MembershipsRepository,
  ) {
    this.organizationVersions = new VersionedSync(organizations);
    this.membershipVersions = new VersionedSync(memberships);
  }

  syncOrganization(organization: ClerkOrganizationSnapshot, writtenBy: string): Promise<SyncResult> {
    return this.organizationVersions.sync(organization, writtenBy);
  }

  deleteOrganization(id: string, writtenBy: string): Promise<SyncResult> {
    return this.organizationVersions.delete(id, writtenBy);
  }

  /**
   * Stores the membership, and the copy of its organization the event carried when that copy is
   * newer than the stored one: a membership that arrives first still shows its organization.
   */
  async syncMembership(membership: ClerkMembershipSnapshot, writtenBy: string): Promise<SyncResult> {
    const [result] = await Promise.all([
      this.membershipVersions.sync(membership, writtenBy),
      this.organizationVersions.sync(membership.organization, writtenBy),
    ]);
    return result;
  }

  async deleteMembership(membership: ClerkMembershipSnapshot, writtenBy: string): Promise<SyncResult> {
    const [result] = await Promise.all([
      this.membershipVersions.delete(membership.id, writtenBy),
      this.organizationVersions.sync(membership.organization, writtenBy),
    ]);
    return result;
  }

  /** Live organizations first stored before `before`: reconciliation's candidates. */
  organizationsStoredBefore(before: Date): AsyncIterable<{ _id: string }> {
    return this.organizations.liveStoredBefore(before);
  }

  /** Live memberships first stored before `before`, with what confirming them needs. */
  membershipsStoredBefore(before: Date): AsyncIterable<{ _id: string; organizationId?: string; userId?: string }> {
    return this.memberships.liveStoredBefore(before, ['organizationId', 'userId']);
  }

  /** Tombstones a membership Clerk no longer has (reconciliation: no event, so no organization copy). */
  deleteMembershipById(id: string, writtenBy: string): Promise<SyncResult> {
    return this.membershipVersions.delete(id, writtenBy);
  }

  syncOrganizationPage(
    page: ClerkOrganizationSnapshot[],
    writtenBy: string,
    options?: { dryRun?: boolean },
  ): Promise<SyncOutcome[]> {
    return this.organizationVersions.syncPage(page, writtenBy, options);
  }

  syncMembershipPage(
    page: ClerkMembershipSnapshot[],
    writtenBy: string,
    options?: { dryRun?: boolean },
  ): Promise<SyncOutcome[]> {
    return this.membershipVersions.syncPage(page, writtenBy, options);
  }

  /** The user's live memberships of live organizations, by organization name. */
  async listForUser(userId: string): Promise<UserOrganization[]> {
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
