import { BackfillBed } from '../support/backfill-bed';
import { countDocuments, insertDocument, storedDocument } from '../support/database';
import { MEMBER_PERMISSIONS } from '../support/directory';
import { clerkMembership, clerkOrganization, clerkUser, deletedEvent, newUserId, userEvent } from '../support/payloads';

/**
 * The backfill's memberships follow the rules of every write path: a membership of a user deleted
 * here is skipped (deleted stays deleted, for what belonged to the user too), and a membership
 * stored before permissions were kept gets them from the same version in Clerk.
 */
const base = 1_700_000_000_000;
const organization = clerkOrganization({ name: 'Acme', createdAt: base, updatedAt: base });
const deletedUser = clerkUser();
const live = clerkMembership({
  organization,
  userId: newUserId(),
  permissions: MEMBER_PERMISSIONS,
  createdAt: base + 1_000,
});
const ofDeletedUser = clerkMembership({
  organization,
  userId: deletedUser.id,
  permissions: MEMBER_PERMISSIONS,
  createdAt: base + 2_000,
});
const legacy = clerkMembership({
  organization,
  userId: newUserId(),
  role: 'org:admin',
  permissions: ['org:sys_memberships:read', 'org:sys_memberships:manage'],
  publicUserData: { first_name: 'Legacy' },
  createdAt: base + 3_000,
});

const bed = BackfillBed.use('backfill_memberships', (clerk) => {
  clerk.putOrganization(organization);
  for (const membership of [live, ofDeletedUser, legacy]) clerk.putMembership(membership);
});
const membershipOf = (id: string) => storedDocument(bed.dbUri, 'organization_memberships', id);

beforeAll(async () => {
  expect(await bed.outcomeOf(userEvent('user.created', deletedUser))).toBe('applied');
  expect(await bed.outcomeOf(deletedEvent(deletedUser.id))).toBe('applied');
  // As stored before the service kept permissions: who, where, which role, at Clerk's same version.
  await insertDocument(bed.dbUri, 'organization_memberships', {
    _id: legacy.id,
    organizationId: organization.id,
    userId: legacy.public_user_data.user_id,
    role: 'org:admin',
    clerkCreatedAt: new Date(legacy.created_at),
    clerkUpdatedAt: legacy.updated_at,
    writtenBy: 'backfill',
    writers: ['backfill'],
    createdAt: new Date(),
    updatedAt: new Date(),
  } as { _id: string });
});

it('--dry-run counts the deleted user’s membership as skipped and the legacy one as updated, writing nothing', async () => {
  const result = await bed.backfill('--dry-run', '--only', 'organizations');
  expect(result.stdout).toContain(
    'Dry run done: 3 memberships from Clerk; created 1, updated 1, unchanged 0, skipped (deleted) 1, removed 0.',
  );
  expect(await countDocuments(bed.dbUri, 'organization_memberships')).toBe(1);
  expect(await membershipOf(legacy.id)).not.toHaveProperty('permissions');
});

it('skips the membership of a user deleted here and fills in the permissions of the one stored before', async () => {
  const result = await bed.backfill('--only', 'organizations');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(
    'Backfill done: 3 memberships from Clerk; created 1, updated 1, unchanged 0, skipped (deleted) 1, removed 0.',
  );
  expect(await membershipOf(ofDeletedUser.id)).toBeNull();
  expect(await membershipOf(live.id)).toMatchObject({ permissions: MEMBER_PERMISSIONS });
  expect(await membershipOf(legacy.id)).toMatchObject({
    role: 'org:admin',
    permissions: ['org:sys_memberships:read', 'org:sys_memberships:manage'],
    publicUserData: expect.objectContaining({ firstName: 'Legacy' }),
  });

  const again = await bed.backfill('--only', 'organizations');
  expect(again.stdout).toContain(
    'Backfill done: 3 memberships from Clerk; created 0, updated 0, unchanged 2, skipped (deleted) 1, removed 0.',
  );
});
