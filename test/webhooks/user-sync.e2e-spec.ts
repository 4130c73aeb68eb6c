import { ClerkTestBed } from '../support/clerk-test-bed';
import { updateStoredUser } from '../support/database';
import { clerkUser, newUserId, userEvent } from '../support/payloads';

/** What a user event stores: Clerk's fields as the service keeps them, never the app's own. */
const bed = ClerkTestBed.use('user_sync');

it('stores a new user with the primary email, its names and a random favourite colour', async () => {
  const user = clerkUser({ emails: ['first@example.test', 'primary@example.test'], primary: 1, username: 'ada' });
  const response = await bed.postWebhook(userEvent('user.created', user));
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ received: true, outcome: 'applied' });
  const doc = await bed.storedUser(user.id);
  expect(doc).toMatchObject({
    email: 'primary@example.test',
    firstName: 'Ada',
    lastName: 'Lovelace',
    username: 'ada',
    imageUrl: user.image_url,
    clerkUpdatedAt: user.updated_at,
  });
  expect(['RED', 'GREEN', 'BLUE']).toContain(doc!.favoriteColor);
});

it.each([
  ['phone-only (no email, no names)', { emails: [], primary: null, firstName: null, lastName: null }],
  ['username-only', { emails: [], primary: null, firstName: null, lastName: null, username: 'only_a_name' }],
  [
    'web3 (nothing but the id)',
    {
      emails: [],
      primary: null,
      firstName: null,
      lastName: null,
      extra: { web3_wallets: [{ web3_wallet: '0xabc' }], image_url: null },
    },
  ],
  ['SSO with emails but none primary', { emails: ['sso@example.test'], primary: null }],
])('stores a %s user', async (_, options) => {
  const user = clerkUser(options);
  expect((await bed.postWebhook(userEvent('user.created', user))).body.outcome).toBe('applied');
  const doc = await bed.storedUser(user.id);
  expect(doc).toMatchObject({ _id: user.id, email: null });
  expect(doc!.username).toBe((options as { username?: string }).username ?? null);
});

it('never lets a Clerk event change the app-owned favourite colour', async () => {
  const user = clerkUser();
  await bed.postWebhook(userEvent('user.created', user));
  await updateStoredUser(bed.app.dbUri, user.id, { $set: { favoriteColor: 'GREEN' } });
  const update = clerkUser({
    id: user.id,
    updatedAt: user.updated_at + 1000,
    extra: { favoriteColor: 'RED', favorite_color: 'BLUE' },
  });
  expect((await bed.postWebhook(userEvent('user.updated', update))).body.outcome).toBe('applied');
  expect((await bed.storedUser(user.id))!.favoriteColor).toBe('GREEN');
});
it('$-prefixed keys and __proto__ in the payload are data, never operators', async () => {
  const id = newUserId();
  const user = clerkUser({ id, firstName: '$set', lastName: '{"$gt": ""}', username: '__proto__' });
  const json = JSON.stringify(userEvent('user.created', user)).replace(
    '"object":"user"',
    '"object":"user","$set":{"favoriteColor":"RED","deletedAt":"2020-01-01"},"__proto__":{"polluted":true},"$where":"sleep(1000)","public_metadata":{"$inc":{"x":1}}',
  );
  const response = await bed.postWebhook(json);
  expect(response.body).toEqual({ received: true, outcome: 'applied' });
  const doc = await bed.storedUser(id);
  expect(doc).toMatchObject({ firstName: '$set', lastName: '{"$gt": ""}', username: '__proto__' });
  expect(doc!.deletedAt ?? null).toBeNull();
  expect(Object.keys(doc!).some((key) => key.startsWith('$') || key === 'polluted')).toBe(false);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
