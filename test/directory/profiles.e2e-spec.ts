import { ClerkTestBed } from '../support/clerk-test-bed';
import { Directory } from '../support/directory';
import { newUserId } from '../support/payloads';

/**
 * GET /users/{userId} and GET /users?id=…: the five public fields, visible to the user, to those who
 * share a live organization with them (both memberships live), or with PUBLIC_PROFILES=all to any
 * signed-in user; unknown, deleted and invisible users answer alike.
 */
const publicProfile = (user: { id: string; first_name?: unknown; last_name?: unknown; image_url?: unknown }) => ({
  id: user.id,
  firstName: user.first_name,
  lastName: user.last_name,
  username: null,
  imageUrl: user.image_url,
});

/** The caller, and one user for each case of the matrix. */
async function people(directory: Directory) {
  const caller = await directory.user();
  const coMember = await directory.user({ firstName: 'Co', lastName: 'Member' });
  const stranger = await directory.user({ firstName: 'Stranger' });
  const deleted = await directory.user();
  const ofDeletedOrganization = await directory.user();
  const removed = await directory.user();
  const shared = await directory.organization();
  await directory.join(shared, caller.id);
  await directory.join(shared, coMember.id);
  await directory.join(shared, deleted.id);
  await directory.deleteUser(deleted.id);
  await directory.leave(await directory.join(shared, removed.id));
  const gone = await directory.organization();
  await directory.join(gone, caller.id);
  await directory.join(gone, ofDeletedOrganization.id);
  await directory.deleteOrganization(gone.id);
  // The caller's own membership ended, the other's is live: not shared either.
  const left = await directory.organization();
  await directory.leave(await directory.join(left, caller.id));
  await directory.join(left, stranger.id);
  return { caller, coMember, stranger, deleted, ofDeletedOrganization, removed, unknown: { id: newUserId() } };
}

describe('PUBLIC_PROFILES=organization (the default)', () => {
  const bed = ClerkTestBed.use('directory_profiles');
  const directory = new Directory(bed);

  it('shows the caller and co-members only; the rest answer 404 alike', async () => {
    const { caller, coMember, ...invisible } = await people(directory);
    const self = await directory.get(caller.id, `/users/${caller.id}`);
    expect(self).toMatchObject({ status: 200, body: publicProfile(caller) });
    expect(Object.keys(self.body).sort()).toEqual(['firstName', 'id', 'imageUrl', 'lastName', 'username']);
    expect((await directory.get(caller.id, `/users/${coMember.id}`)).body).toEqual(publicProfile(coMember));
    for (const [name, user] of Object.entries(invisible)) {
      const response = await directory.get(caller.id, `/users/${user.id}`);
      expect([name, response.status, response.body]).toEqual([
        name,
        404,
        { statusCode: 404, error: 'Not Found', message: 'User not found' },
      ]);
    }
    for (const id of ['nobody', `user_${'x'.repeat(80)}`, '%24gt']) {
      expect((await directory.get(caller.id, `/users/${id}`)).status).toBe(404);
    }
  });

  it('answers a batch with the visible ones in the order asked, once each, and 400 for none or more than 100', async () => {
    const { caller, coMember, stranger, deleted, removed, unknown } = await people(directory);
    const ids = [stranger.id, coMember.id, unknown.id, caller.id, deleted.id, coMember.id, removed.id, 'junk'];
    const response = await directory.get(caller.id, `/users?${ids.map((id) => `id=${id}`).join('&')}`);
    expect(response).toMatchObject({ status: 200, body: { data: [publicProfile(coMember), publicProfile(caller)] } });
    expect((await directory.get(caller.id, `/users?id=${coMember.id}`)).body).toEqual({
      data: [publicProfile(coMember)],
    });
    const many = Array.from({ length: 101 }, () => `id=${newUserId()}`).join('&');
    for (const query of ['', '?id=', `?${many}`]) {
      const refused = await directory.get(caller.id, `/users${query}`);
      expect(refused).toMatchObject({ status: 400, body: { message: expect.stringMatching(/id/) } });
    }
    expect((await directory.get(caller.id, `/users?${many.split('&').slice(1).join('&')}`)).status).toBe(200);
  });
});

describe('PUBLIC_PROFILES=all', () => {
  const bed = ClerkTestBed.use('directory_profiles_all', { PUBLIC_PROFILES: 'all' });
  const directory = new Directory(bed);

  it('shows every live user to any signed-in user; deleted and unknown still answer 404', async () => {
    const { caller, coMember, stranger, ofDeletedOrganization, removed, deleted, unknown } = await people(directory);
    for (const user of [caller, coMember, stranger, ofDeletedOrganization, removed]) {
      expect((await directory.get(caller.id, `/users/${user.id}`)).body).toEqual(publicProfile(user));
    }
    for (const user of [deleted, unknown])
      expect((await directory.get(caller.id, `/users/${user.id}`)).status).toBe(404);
    const batch = await directory.get(caller.id, `/users?id=${deleted.id}&id=${stranger.id}&id=${unknown.id}`);
    expect(batch.body).toEqual({ data: [publicProfile(stranger)] });
  });
});
