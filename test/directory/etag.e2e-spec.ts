import { ClerkTestBed } from '../support/clerk-test-bed';
import { Directory, ROLES } from '../support/directory';
import { clerkUser, userEvent } from '../support/payloads';

/**
 * Conditional GETs: GET /me, the profiles and the member pages carry an ETag and
 * `Cache-Control: private, no-cache`; a matching If-None-Match gets 304 with no body; the tag
 * changes whenever the body does (a member's name, a role, the favourite colour).
 */
const bed = ClerkTestBed.use('directory_etag');
const directory = new Directory(bed);

/** The answer's tag, after checking the caching headers. */
async function tagOf(userId: string, path: string): Promise<string> {
  const response = await directory.get(userId, path);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('private, no-cache');
  const tag = response.headers.get('etag');
  expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  return tag!;
}

/** 304 with no body for the current tag, also among others and weak; 200 with the body for any other. */
async function expectRevalidates(userId: string, path: string, tag: string) {
  for (const ifNoneMatch of [tag, `"other", ${tag}`, `W/${tag}`]) {
    const response = await fetch(`${bed.url}${path}`, {
      headers: { authorization: `Bearer ${directory.token(userId)}`, 'if-none-match': ifNoneMatch },
    });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(tag);
    expect(await response.text()).toBe('');
  }
  const stale = await directory.get(userId, path, { 'if-none-match': '"stale"' });
  expect(stale.status).toBe(200);
  expect(stale.headers.get('etag')).toBe(tag);
}

it('GET /me: 304 while unchanged; a new tag when the favourite colour or a membership changes', async () => {
  const user = await directory.user();
  const organization = await directory.organization();
  const tag = await tagOf(user.id, '/me');
  await expectRevalidates(user.id, '/me', tag);
  const me = await directory.get(user.id, '/me');
  const color = me.body.profile.favoriteColor === 'RED' ? 'GREEN' : 'RED';
  expect((await bed.patchMe(directory.token(user.id), { favoriteColor: color })).status).toBe(200);
  const recolored = await tagOf(user.id, '/me');
  expect(recolored).not.toBe(tag);
  const membership = await directory.join(organization, user.id, ROLES.member);
  const joined = await tagOf(user.id, '/me');
  expect(joined).not.toBe(recolored);
  await directory.update(membership, { role: 'org:admin' });
  expect(await tagOf(user.id, '/me')).not.toBe(joined);
  // Errors carry no tag.
  const unknown = await directory.get(user.id, '/users/user_unknown');
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('etag')).toBeNull();
});

it("a member page and a profile: a new tag when a member's name or role changes", async () => {
  const organization = await directory.organization();
  const reader = await directory.user();
  await directory.join(organization, reader.id, { ...ROLES.admin, createdAt: 1_700_000_000_000 });
  const member = await directory.user({ firstName: 'Ada', updatedAt: 1_700_000_000_000 });
  const membership = await directory.join(organization, member.id, { ...ROLES.member, createdAt: 1_700_000_001_000 });
  const page = `/organizations/${organization.id}/members?limit=10`;
  const profile = `/users/${member.id}`;
  const pageTag = await tagOf(reader.id, page);
  const profileTag = await tagOf(reader.id, profile);
  await expectRevalidates(reader.id, page, pageTag);
  await expectRevalidates(reader.id, profile, profileTag);
  await expectRevalidates(reader.id, `/users?id=${member.id}`, await tagOf(reader.id, `/users?id=${member.id}`));

  const renamed = clerkUser({ id: member.id, firstName: 'Augusta', updatedAt: 1_700_000_005_000 });
  expect(await bed.outcomeOf(userEvent('user.updated', renamed))).toBe('applied');
  const renamedPageTag = await tagOf(reader.id, page);
  expect(renamedPageTag).not.toBe(pageTag);
  expect(await tagOf(reader.id, profile)).not.toBe(profileTag);

  await directory.update(membership, { role: 'org:admin', permissions: ROLES.admin.permissions });
  expect(await tagOf(reader.id, page)).not.toBe(renamedPageTag);
});
