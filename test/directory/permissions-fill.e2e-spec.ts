import { ClerkTestBed } from '../support/clerk-test-bed';
import { insertDocument, storedDocument } from '../support/database';
import { Directory, MEMBER_PERMISSIONS } from '../support/directory';
import { clerkMembership, membershipEvent } from '../support/payloads';

/**
 * Memberships stored before the service kept Clerk's permissions: refused by the member list
 * until a later event (even of the same version) fills them in; then read as any other.
 */
const bed = ClerkTestBed.use('directory_permissions_fill');
const directory = new Directory(bed);

it('a later event of the same version fills in the permissions; a redelivery of it is a duplicate', async () => {
  const organization = await directory.organization();
  const reader = await directory.user();
  const membership = clerkMembership({ organization, userId: reader.id, permissions: MEMBER_PERMISSIONS });
  await insertDocument(bed.dbUri, 'organization_memberships', {
    _id: membership.id,
    organizationId: organization.id,
    userId: reader.id,
    role: 'org:member',
    clerkCreatedAt: new Date(membership.created_at),
    clerkUpdatedAt: membership.updated_at,
    writtenBy: 'msg_before',
    writers: ['msg_before'],
    createdAt: new Date(),
    updatedAt: new Date(),
  } as { _id: string });
  const path = `/organizations/${organization.id}/members`;
  expect((await directory.get(reader.id, path)).status).toBe(403);
  expect((await directory.get(reader.id, '/me')).body.organizations).toEqual([
    expect.objectContaining({ id: organization.id, permissions: [] }),
  ]);

  const event = membershipEvent('organizationMembership.updated', membership);
  const first = await bed.postWebhook(event, { svixId: 'msg_fill_1' });
  expect(first.body.outcome).toBe('applied');
  expect((await bed.postWebhook(event, { svixId: 'msg_fill_1' })).body.outcome).toBe('duplicate');
  expect((await bed.postWebhook(event)).body.outcome).toBe('stale');
  expect(await storedDocument(bed.dbUri, 'organization_memberships', membership.id)).toMatchObject({
    permissions: MEMBER_PERMISSIONS,
  });
  expect((await directory.get(reader.id, path)).body.data).toEqual([expect.objectContaining({ userId: reader.id })]);
  expect((await directory.get(reader.id, '/me')).body.organizations).toEqual([
    expect.objectContaining({ id: organization.id, permissions: MEMBER_PERMISSIONS }),
  ]);
});
