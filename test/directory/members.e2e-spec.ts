import { ClerkTestBed } from '../support/clerk-test-bed';
import { Directory, MEMBER_PERMISSIONS, ROLES } from '../support/directory';
import { newOrganizationId, newUserId } from '../support/payloads';

/**
 * GET /organizations/{orgId}/members: who may read it (Clerk's org:sys_memberships:read, held by a
 * live membership, whatever the role is called), what a member shows, and who never appears.
 */
const bed = ClerkTestBed.use('directory_members');
const directory = new Directory(bed);
const members = (userId: string, organizationId: string, query = '') =>
  directory.get(userId, `/organizations/${organizationId}/members${query}`);

describe('who may read the member list', () => {
  it.each([
    ['an admin', ROLES.admin, 200],
    ['a member', ROLES.member, 200],
    [
      'a custom role with the permission',
      { role: 'org:billing', permissions: ['org:billing:read', ...MEMBER_PERMISSIONS] },
      200,
    ],
    [
      'a custom role without it',
      { role: 'org:auditor', permissions: ['org:reports:read', 'org:sys_profile:manage'] },
      403,
    ],
    ['a role with no permissions', { role: 'org:guest', permissions: [] }, 403],
  ])('%s: %s', async (_case, role, status) => {
    const organization = await directory.organization();
    const caller = await directory.user();
    await directory.join(organization, caller.id, role);
    const response = await members(caller.id, organization.id);
    expect(response.status).toBe(status);
    if (status === 403) {
      expect(response.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: expect.stringContaining('org:sys_memberships:read'),
      });
    }
  });

  it('answers 404 alike for an unknown organization, a deleted one, a non-member and a former member', async () => {
    const caller = await directory.user();
    const deleted = await directory.organization();
    await directory.join(deleted, caller.id);
    await directory.deleteOrganization(deleted.id);
    const foreign = await directory.organization();
    await directory.join(foreign, (await directory.user()).id);
    const former = await directory.organization();
    await directory.leave(await directory.join(former, caller.id));
    const answers = [];
    for (const id of [newOrganizationId(), deleted.id, foreign.id, former.id, 'not-an-id', 'org_' + 'x'.repeat(70)]) {
      answers.push(await members(caller.id, id));
    }
    for (const answer of answers) {
      expect(answer).toMatchObject({
        status: 404,
        body: { statusCode: 404, error: 'Not Found', message: 'Organization not found' },
      });
    }
  });

  it('follows a role change: a member demoted to a role without the permission is refused', async () => {
    const organization = await directory.organization();
    const caller = await directory.user();
    const membership = await directory.join(organization, caller.id, ROLES.member);
    expect((await members(caller.id, organization.id)).status).toBe(200);
    await directory.update(membership, { role: 'org:viewer', permissions: [] });
    expect((await members(caller.id, organization.id)).status).toBe(403);
  });
});

describe('what the list shows', () => {
  it("shows synced users' names and email; Clerk's public data for a user not arrived yet; never deleted users or removed members", async () => {
    const organization = await directory.organization();
    const admin = await directory.user({
      firstName: 'Ada',
      lastName: 'Lovelace',
      username: 'ada',
      emails: ['ada@example.test'],
    });
    const adminMembership = await directory.join(organization, admin.id, {
      ...ROLES.admin,
      createdAt: 1_700_000_001_000,
    });
    const phoneOnly = await directory.user({ emails: [], firstName: 'Phone', lastName: null, phone: '+15555550100' });
    await directory.join(organization, phoneOnly.id, { ...ROLES.member, createdAt: 1_700_000_002_000 });
    // The membership's webhook came first: the user's has not arrived.
    const pending = newUserId();
    await directory.join(organization, pending, {
      ...ROLES.member,
      createdAt: 1_700_000_003_000,
      publicUserData: {
        first_name: 'Grace',
        last_name: 'Hopper',
        identifier: 'grace@example.test',
        image_url: 'https://img.clerk.com/grace.png',
      },
    });
    const deleted = await directory.user();
    await directory.join(organization, deleted.id, { ...ROLES.member, createdAt: 1_700_000_004_000 });
    await directory.deleteUser(deleted.id);
    const leaver = await directory.user();
    await directory.leave(
      await directory.join(organization, leaver.id, { ...ROLES.member, createdAt: 1_700_000_005_000 }),
    );

    const response = await members(admin.id, organization.id);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: [
        {
          userId: admin.id,
          firstName: 'Ada',
          lastName: 'Lovelace',
          username: 'ada',
          imageUrl: admin.image_url,
          identifier: 'ada@example.test',
          role: 'org:admin',
          joinedAt: new Date(adminMembership.created_at).toISOString(),
        },
        expect.objectContaining({
          userId: phoneOnly.id,
          firstName: 'Phone',
          lastName: null,
          identifier: '+15555550100',
        }),
        {
          userId: pending,
          firstName: 'Grace',
          lastName: 'Hopper',
          username: null,
          imageUrl: 'https://img.clerk.com/grace.png',
          identifier: 'grace@example.test',
          role: 'org:member',
          joinedAt: new Date(1_700_000_003_000).toISOString(),
        },
      ],
      next: null,
    });

    // Once the user arrives, the list shows the user as stored.
    await directory.user({ id: pending, firstName: 'Amazing', lastName: 'Grace', emails: ['amazing@example.test'] });
    const after = await members(admin.id, organization.id);
    expect(after.body.data[2]).toMatchObject({
      userId: pending,
      firstName: 'Amazing',
      identifier: 'amazing@example.test',
    });
  });

  it('pages by ?limit= (default 20) and refuses a bad limit or cursor with 400, naming it', async () => {
    const organization = await directory.organization();
    const admin = await directory.user();
    await directory.join(organization, admin.id, { ...ROLES.admin, createdAt: 1_700_000_000_000 });
    for (let i = 1; i <= 24; i++) {
      await directory.join(organization, newUserId(), { ...ROLES.member, createdAt: 1_700_000_000_000 + i });
    }
    const first = await members(admin.id, organization.id);
    expect(first.body.data).toHaveLength(20);
    expect(first.body.next).toEqual(expect.any(String));
    const rest = await members(admin.id, organization.id, `?after=${encodeURIComponent(first.body.next)}`);
    expect(rest.body.data).toHaveLength(5);
    expect(rest.body.next).toBeNull();
    expect((await directory.walkMembers(admin.id, organization.id, 100)).length).toBe(25);

    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?limit=1.5', '?limit=-1', '?limit=']) {
      const response = await members(admin.id, organization.id, query);
      expect(response).toMatchObject({ status: 400, body: { message: expect.stringMatching(/limit/) } });
    }
    expect((await members(admin.id, organization.id, '?limit=100')).status).toBe(200);
    expect((await members(admin.id, organization.id, '?limit=1')).body.data).toHaveLength(1);
  });
});
