import { toClerkMembershipSnapshot } from '../../src/clerk/clerk-organization.schema';
import { toClerkUserSnapshot } from '../../src/clerk/clerk-user.schema';
import { OrganizationsModule } from '../../src/organizations/organizations.module';
import { OrganizationsSyncService } from '../../src/organizations/organizations-sync.service';
import { UserOrganizationsService } from '../../src/organizations/user-organizations.service';
import { UsersRepository } from '../../src/users/users.repository';
import { storedDocument } from '../support/database';
import { MediumBed } from '../support/medium';
import { clerkMembership, clerkOrganization, clerkUser, newUserId } from '../support/payloads';

/**
 * OrganizationsSyncService and UserOrganizationsService as Nest builds them, on a real database:
 * memberships synced with the copy of their organization, the rules that span the two
 * collections and users, and a user's organizations as /me lists them.
 */
const bed = MediumBed.use('organizations-service', [OrganizationsModule]);
const sync = () => bed.get(OrganizationsSyncService);
const organizations = () => bed.get(UserOrganizationsService);
const snapshot = (membership: ReturnType<typeof clerkMembership>) => toClerkMembershipSnapshot(membership);

describe('OrganizationsSyncService and UserOrganizationsService', () => {
  it("stores a membership and its organization's copy; lists the user's organizations by name", async () => {
    const userId = newUserId();
    const zeta = clerkMembership({ userId, organization: clerkOrganization({ name: 'Zeta' }), role: 'org:admin' });
    const alpha = clerkMembership({ userId, organization: clerkOrganization({ name: 'Alpha' }) });
    expect(await sync().syncMembership(snapshot(zeta), 'sync_1')).toMatchObject({ outcome: 'applied' });
    expect(await sync().syncMembership(snapshot(alpha), 'sync_2')).toMatchObject({ outcome: 'applied' });
    expect(await storedDocument(bed.dbUri, 'organizations', zeta.organization.id)).toMatchObject({ name: 'Zeta' });
    const listed = await organizations().listUserOrganizations(userId);
    expect(listed.map(({ organization, role, permissions }) => [organization.name, role, permissions])).toEqual([
      ['Alpha', 'org:member', []],
      ['Zeta', 'org:admin', []],
    ]);
  });

  it("an older copy of the organization in a membership does not replace the stored one's newer version", async () => {
    const organization = clerkOrganization({ name: 'Renamed', updatedAt: 1_700_000_009_000 });
    const userId = newUserId();
    await sync().syncMembership(snapshot(clerkMembership({ userId, organization })), 'sync_new');
    const older = { ...organization, name: 'Old name', updated_at: 1_700_000_001_000 };
    await sync().syncMembership(snapshot(clerkMembership({ userId, organization: older })), 'sync_old');
    expect(await storedDocument(bed.dbUri, 'organizations', organization.id)).toMatchObject({ name: 'Renamed' });
  });

  it('a membership of a user deleted here is stale and stores nothing, not even its organization', async () => {
    const user = clerkUser();
    await bed.get(UsersRepository).syncVersion(toClerkUserSnapshot(user), 'arranged');
    await bed.get(UsersRepository).tombstone(user.id, 'arranged');
    const membership = clerkMembership({ userId: user.id });
    expect(await sync().syncMembership(snapshot(membership), 'sync_3')).toEqual({
      outcome: 'stale',
      found: 'tombstone',
    });
    expect(await storedDocument(bed.dbUri, 'organization_memberships', membership.id)).toBeNull();
    expect(await storedDocument(bed.dbUri, 'organizations', membership.organization.id)).toBeNull();
    expect(await organizations().listUserOrganizations(user.id)).toEqual([]);
  });

  it('a tombstoned membership leaves the list, and an older replay does not bring it back', async () => {
    const userId = newUserId();
    const membership = clerkMembership({ userId, updatedAt: 1_700_000_002_000 });
    await sync().syncMembership(snapshot(membership), 'sync_4');
    expect(await sync().tombstoneMembership(snapshot(membership), 'sync_5')).toMatchObject({
      outcome: 'applied',
    });
    expect(await sync().syncMembership(snapshot(membership), 'sync_4_replayed')).toMatchObject({
      outcome: 'stale',
    });
    expect(await organizations().listUserOrganizations(userId)).toEqual([]);
  });
});
