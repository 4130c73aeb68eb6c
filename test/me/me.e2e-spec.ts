import { ClerkTestBed } from '../support/clerk-test-bed';
import { dumpDatabase } from '../support/database';
import { request } from '../support/http';
import { clerkUser, deletedEvent, nestedJson, userEvent } from '../support/payloads';

/**
 * GET /me and PATCH /me for a signed-in user: the session joined to the stored profile, and the
 * one app-owned field a user may change. Tokens: guard.e2e-spec.ts; a user not stored yet:
 * lazy-sync.e2e-spec.ts.
 */
const bed = ClerkTestBed.use('me', { CLERK_AUTHORIZED_PARTIES: 'http://localhost:5173' });

describe('GET /me', () => {
  it('answers a synced user from the database, with no Backend API call', async () => {
    const user = clerkUser({
      emails: ['synced@example.test'],
      firstName: 'Grace',
      lastName: 'Hopper',
      phone: '+15555550100',
      extra: {
        external_id: 'crm-42',
        public_metadata: { roles: ['admin'] },
        private_metadata: { stripeCustomer: 'cus_private' },
        unsafe_metadata: { note: 'user-writable' },
        last_sign_in_at: 1_700_000_500_000,
      },
    });
    expect((await bed.postWebhook(userEvent('user.created', user))).body.outcome).toBe('applied');
    const before = bed.clerk.calls.getUser;
    const response = await bed.getMe(bed.tokenFor(user.id, { sid: 'sess_1' }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      userId: user.id,
      sessionId: 'sess_1',
      orgId: null,
      profile: {
        id: user.id,
        email: 'synced@example.test',
        phoneNumber: '+15555550100',
        firstName: 'Grace',
        lastName: 'Hopper',
        username: null,
        imageUrl: user.image_url,
        externalId: 'crm-42',
        publicMetadata: { roles: ['admin'] },
        lastSignInAt: new Date(1_700_000_500_000).toISOString(),
        favoriteColor: expect.stringMatching(/^(RED|GREEN|BLUE)$/),
        // Clerk's own times; syncedAt is our write of just now.
        createdAt: new Date(user.created_at as number).toISOString(),
        updatedAt: new Date(user.updated_at).toISOString(),
        syncedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      organizations: [],
      organizationsNext: null,
    });
    expect(Date.now() - Date.parse(response.body.profile.syncedAt)).toBeLessThan(60_000);
    expect(bed.clerk.calls.getUser).toBe(before);
    // Private metadata is stored, never served; unsafe metadata (the user's own) is not kept.
    const stored = JSON.stringify(await bed.storedUser(user.id));
    expect(stored).toContain('cus_private');
    expect(stored).not.toContain('user-writable');
    expect(JSON.stringify(response.body)).not.toContain('cus_private');
  });

  it('GET /user/favoriteColor answers as the tutorial frontend expects', async () => {
    const user = bed.putClerkUser();
    const response = await bed.getMe(bed.tokenFor(user.id), '/user/favoriteColor');
    expect(response.status).toBe(200);
    const color = (await bed.storedUser(user.id))!.favoriteColor;
    expect(response.body).toEqual({ payload: color, message: `Your favorite color is ${color}` });
    expect((await request(`${bed.app.url}/user/favoriteColor`)).status).toBe(401);
  });
});

describe('PATCH /me', () => {
  it('changes the favourite colour and answers like GET /me', async () => {
    const user = bed.putClerkUser();
    const token = bed.tokenFor(user.id);
    for (const color of ['RED', 'GREEN', 'BLUE', 'GREEN']) {
      const response = await bed.patchMe(token, { favoriteColor: color });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ userId: user.id, profile: { id: user.id, favoriteColor: color } });
    }
    expect((await bed.storedUser(user.id))!.favoriteColor).toBe('GREEN');
    expect((await bed.getMe(token)).body.profile.favoriteColor).toBe('GREEN');
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown colour', { favoriteColor: 'PURPLE' }, /favoriteColor must be one of RED, GREEN, BLUE/],
    ['a lower-case colour', { favoriteColor: 'red' }, /favoriteColor/],
    ['a number', { favoriteColor: 1 }, /favoriteColor/],
    ['no field', {}, /favoriteColor/],
    ['a Clerk-owned field', { favoriteColor: 'RED', email: 'x@evil.test' }, /property email should not exist/],
    ['an app field that does not exist', { favoriteColor: 'RED', role: 'admin' }, /property role should not exist/],
    ['an array', [], /.+/],
  ])('400 for %s, naming it, and nothing changes', async (_, body, message) => {
    const user = bed.putClerkUser();
    const token = bed.tokenFor(user.id);
    await bed.getMe(token);
    const before = JSON.stringify(await dumpDatabase(bed.app.dbUri));
    const response = await bed.patchMe(token, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toMatch(message);
    expect(JSON.stringify(await dumpDatabase(bed.app.dbUri))).toBe(before);
  });

  it('404 for a deleted user: no colour written, no lazy re-creation', async () => {
    const user = bed.putClerkUser();
    await bed.postWebhook(userEvent('user.created', user));
    expect((await bed.postWebhook(deletedEvent(user.id))).body.outcome).toBe('applied');
    const before = bed.clerk.calls.getUser;
    const tombstone = await bed.storedUser(user.id);
    expect((await bed.patchMe(bed.tokenFor(user.id), { favoriteColor: 'BLUE' })).status).toBe(404);
    expect(bed.clerk.calls.getUser).toBe(before);
    expect(await bed.storedUser(user.id)).toEqual(tombstone);
  });

  it('400 for a body that is not JSON', async () => {
    const user = bed.putClerkUser();
    const response = await bed.patchMe(bed.tokenFor(user.id), '{"favoriteColor":');
    expect(response).toMatchObject({
      status: 400,
      body: { statusCode: 400, message: 'The request body is not valid JSON' },
    });
  });

  it('a user.updated webhook after a PATCH keeps the colour', async () => {
    const user = clerkUser({ updatedAt: 1_700_000_000_000 });
    await bed.postWebhook(userEvent('user.created', user));
    const token = bed.tokenFor(user.id);
    const stored = (await bed.storedUser(user.id))!.favoriteColor;
    const other = ['RED', 'GREEN', 'BLUE'].find((color) => color !== stored)!;
    expect((await bed.patchMe(token, { favoriteColor: other })).status).toBe(200);
    const updated = clerkUser({
      id: user.id,
      firstName: 'Renamed',
      updatedAt: 1_700_000_100_000,
      extra: { favoriteColor: 'RED' },
    });
    expect((await bed.postWebhook(userEvent('user.updated', updated))).body.outcome).toBe('applied');
    expect(await bed.storedUser(user.id)).toMatchObject({ firstName: 'Renamed', favoriteColor: other });
  });

  it('is rate limited per user (60 a minute), not per address', async () => {
    const busy = bed.putClerkUser();
    const calm = bed.putClerkUser();
    const token = bed.tokenFor(busy.id);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await bed.patchMe(token, { favoriteColor: 'BLUE' })).status);
    expect(statuses.slice(0, 60)).toEqual(Array(60).fill(200));
    expect(statuses[60]).toBe(429);
    const limited = await bed.patchMe(token, { favoriteColor: 'RED' });
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too many changes: at most 60 a minute for one user; try again later',
    });
    expect((await bed.storedUser(busy.id))!.favoriteColor).toBe('BLUE');
    expect((await bed.patchMe(bed.tokenFor(calm.id), { favoriteColor: 'RED' })).status).toBe(200);
    expect((await bed.getMe(token)).status).toBe(200);
  });

  it.each([
    ['arrays', nestedJson(5_000, 'arrays')],
    ['objects', nestedJson(5_000, 'objects')],
    ['a value inside an allowed field', `{"favoriteColor":${nestedJson(3_000, 'arrays')}}`],
  ])('PATCH /me with %s thousands deep: 400 naming the problem', async (_, body) => {
    const token = bed.tokenFor(bed.putClerkUser().id);
    expect((await bed.getMe(token)).status).toBe(200);
    await bed.expectRefusedUnchanged(
      () => bed.patchMe(token, body),
      400,
      /^The request body nests deeper than 64 levels$/,
    );
    expect((await bed.patchMe(token, { favoriteColor: 'RED' })).status).toBe(200);
  });

  it('PATCH /me with a __proto__ key names the forbidden key', async () => {
    const token = bed.tokenFor(bed.putClerkUser().id);
    await bed.expectRefusedUnchanged(
      () => bed.patchMe(token, '{"favoriteColor":"RED","__proto__":{"admin":true}}'),
      400,
      /^The request body has a forbidden key \(__proto__ or constructor\.prototype\)$/,
    );
  });
});
