import { ClerkTestBed } from '../support/clerk-test-bed';
import { Directory, ROLES } from '../support/directory';

/**
 * /me's organizations: each with the user's role and permissions, at most 100 inline, the rest
 * through `organizationsNext` and GET /me/organizations?after=; PATCH /me answers the same body.
 */
const bed = ClerkTestBed.use('me_organizations');
const directory = new Directory(bed);
jest.setTimeout(180_000);

it('carries the role and permissions of each membership', async () => {
  const user = await directory.user();
  const acme = await directory.organization({ name: 'Acme' });
  const billing = await directory.organization({ name: 'Billing Co' });
  await directory.join(acme, user.id, ROLES.admin);
  await directory.join(billing, user.id, { role: 'org:billing', permissions: ['org:billing:manage'] });
  const me = await directory.get(user.id, '/me');
  expect(me.body.organizations).toEqual([
    expect.objectContaining({ id: acme.id, role: 'org:admin', permissions: ROLES.admin.permissions }),
    expect.objectContaining({ id: billing.id, role: 'org:billing', permissions: ['org:billing:manage'] }),
  ]);
  expect(me.body.organizationsNext).toBeNull();
});

it('lists 100 inline and the rest by cursor, each organization once; PATCH /me answers the same bounded body', async () => {
  const user = await directory.user();
  const names = Array.from({ length: 205 }, (_, i) => `Org ${String(i).padStart(3, '0')}`);
  for (const name of names) await directory.join(await directory.organization({ name }), user.id, ROLES.member);

  const me = await directory.get(user.id, '/me');
  expect(me.body.organizations).toHaveLength(100);
  expect(me.body.organizationsNext).toEqual(expect.any(String));
  const listed = me.body.organizations.map((organization: { name: string }) => organization.name);
  let after: string | null = me.body.organizationsNext;
  while (after) {
    const page = await directory.get(user.id, `/me/organizations?after=${encodeURIComponent(after)}`);
    expect(page.status).toBe(200);
    expect(Object.keys(page.body).sort()).toEqual(['data', 'next']);
    listed.push(...page.body.data.map((organization: { name: string }) => organization.name));
    after = page.body.next;
  }
  expect(listed).toEqual(names);

  const patched = await bed.patchMe(bed.tokenFor(user.id), { favoriteColor: 'BLUE' });
  expect(patched.status).toBe(200);
  expect(patched.body.organizations).toEqual(me.body.organizations);
  expect(patched.body.organizationsNext).toEqual(expect.any(String));

  // Without a cursor, the first page.
  const first = await directory.get(user.id, '/me/organizations');
  expect(first.body.data).toEqual(me.body.organizations);

  // Another user's cursor, or a forged one, is refused.
  const other = await directory.user();
  for (const [caller, cursor] of [
    [other.id, me.body.organizationsNext],
    [user.id, `${me.body.organizationsNext}x`],
    [user.id, 'e30.AAAA'],
  ]) {
    const refused = await directory.get(caller, `/me/organizations?after=${encodeURIComponent(cursor)}`);
    expect(refused).toMatchObject({ status: 400, body: { message: expect.stringMatching(/after/) } });
  }
});
