import { startTestApp, TestApp } from './support/app';
import { postWebhook, request } from './support/http';
import { ClerkStandIn } from './support/clerk-stand-in';
import { ClerkTestBed } from './support/clerk-test-bed';
import { dumpDatabase, storedUser as storedUserIn } from './support/database';
import {
  createSigningKey,
  hs256WithPublicKey,
  mintToken,
  sessionClaims,
  SessionClaims,
  unsignedToken,
} from './support/tokens';
import { clerkUser, deletedEvent, newUserId, signedDelivery, userEvent } from './support/webhooks';

const FRONTEND = 'http://localhost:5173';
const bed = ClerkTestBed.use('me', { CLERK_AUTHORIZED_PARTIES: FRONTEND });
const { key, secret, clerk } = bed;
beforeEach(() => {
  clerk.down = false;
  clerk.delayMs = 0;
  clerk.failures.length = 0;
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tokenFor = (userId: string, claims: SessionClaims = {}) => mintToken(key, sessionClaims(userId, claims));
const getMe = (token: string, base = bed.app.url) => request(`${base}/me`, { headers: bearer(token) });
const patchMe = (token: string, body: unknown) =>
  request(`${bed.app.url}/me`, {
    method: 'PATCH',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const storedUser = (id: string) => storedUserIn(bed.app.dbUri, id);
const webhook = (payload: unknown) => postWebhook(bed.app.url, signedDelivery(secret, payload));

/** A user Clerk knows (the stand-in has it) but this service has not stored yet. */
function clerkKnows(options: Parameters<typeof clerkUser>[0] = {}) {
  const user = clerkUser(options);
  clerk.putUser(user);
  return user;
}

const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'The session token is invalid or expired' };

describe('the session guard (networkless, CLERK_JWT_KEY)', () => {
  let userId: string;
  beforeAll(async () => {
    userId = clerkKnows().id;
    expect((await getMe(tokenFor(userId))).status).toBe(200);
  });

  it('accepts a valid token from the Authorization header or the __session cookie', async () => {
    expect((await getMe(tokenFor(userId))).status).toBe(200);
    const viaCookie = await request(`${bed.app.url}/me`, { headers: { cookie: `__session=${tokenFor(userId)}` } });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.userId).toBe(userId);
  });

  it('refuses a request with no token', async () => {
    expect(await request(`${bed.app.url}/me`)).toMatchObject({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'A Clerk session token is required' },
    });
  });

  const now = () => Math.floor(Date.now() / 1000);
  const otherKey = createSigningKey(key.kid);
  it.each<[string, () => string]>([
    ['expired', () => tokenFor(userId, { exp: now() - 60, iat: now() - 120, nbf: now() - 120 })],
    ['not yet valid', () => tokenFor(userId, { nbf: now() + 60, iat: now() + 60, exp: now() + 120 })],
    [
      'tampered (payload changed after signing)',
      () => {
        const [head, , signature] = tokenFor(userId).split('.');
        return `${head}.${Buffer.from(JSON.stringify(sessionClaims(newUserId()))).toString('base64url')}.${signature}`;
      },
    ],
    ['signed by another key with the same kid', () => mintToken(otherKey, sessionClaims(userId))],
    ['alg none', () => unsignedToken(key, sessionClaims(userId))],
    ['HS256 signed with the public key', () => hs256WithPublicKey(key, sessionClaims(userId))],
    ['an azp that is not an authorized party', () => tokenFor(userId, { azp: 'https://evil.example' })],
    ['no sub', () => tokenFor(userId, { sub: undefined })],
    ['garbage', () => 'not.a.jwt'],
    ['a bare word', () => 'hello'],
  ])('refuses a token that is %s with a 401 that names no internals', async (_, token) => {
    const response = await getMe(token());
    expect(response.status).toBe(401);
    expect(response.body).toEqual(UNAUTHORIZED);
  });

  it('hands the session (user, session and organisation ids) to the handler', async () => {
    const response = await getMe(tokenFor(userId, { sid: 'sess_abc', org_id: 'org_xyz' }));
    expect(response.body).toMatchObject({ userId, sessionId: 'sess_abc', orgId: 'org_xyz' });
    expect((await getMe(tokenFor(userId, { sid: 'sess_abc' }))).body.orgId).toBeNull();
  });

  it('public routes need no token', async () => {
    expect((await request(`${bed.app.url}/health/live`)).status).toBe(200);
    expect((await request(`${bed.app.url}/docs/json`)).status).toBe(200);
  });
});

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
    expect((await webhook(userEvent('user.created', user))).body.outcome).toBe('applied');
    const before = clerk.calls.getUser;
    const response = await getMe(tokenFor(user.id, { sid: 'sess_1' }));
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
    });
    expect(Date.now() - Date.parse(response.body.profile.syncedAt)).toBeLessThan(60_000);
    expect(clerk.calls.getUser).toBe(before);
    // Private metadata is stored, never served; unsafe metadata (the user's own) is not kept.
    const stored = JSON.stringify(await storedUser(user.id));
    expect(stored).toContain('cus_private');
    expect(stored).not.toContain('user-writable');
    expect(JSON.stringify(response.body)).not.toContain('cus_private');
  });

  it('lazily syncs a user the webhook has not brought yet, then answers from the database', async () => {
    const user = clerkKnows({ emails: ['lazy@example.test'] });
    const before = clerk.calls.getUser;
    const first = await getMe(tokenFor(user.id));
    expect(first.status).toBe(200);
    expect(first.body.profile).toMatchObject({ id: user.id, email: 'lazy@example.test' });
    expect(clerk.calls.getUser).toBe(before + 1);
    expect(await storedUser(user.id)).toMatchObject({ email: 'lazy@example.test', writtenBy: 'lazy-sync' });
    const second = await getMe(tokenFor(user.id));
    expect(second.body.profile).toEqual(first.body.profile);
    expect(clerk.calls.getUser).toBe(before + 1);
  });

  it('30 concurrent first calls for one user make one Backend API call', async () => {
    const user = clerkKnows();
    clerk.delayMs = 200;
    const before = clerk.calls.getUser;
    const responses = await Promise.all(Array.from({ length: 30 }, () => getMe(tokenFor(user.id))));
    expect(responses.map((response) => response.status)).toEqual(Array(30).fill(200));
    expect(new Set(responses.map((response) => response.body.profile.favoriteColor)).size).toBe(1);
    expect(clerk.calls.getUser).toBe(before + 1);
  });

  it('404 for a user Clerk does not know, and nothing stored', async () => {
    const id = newUserId();
    expect(await getMe(tokenFor(id))).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'User not found' },
    });
    expect(await storedUser(id)).toBeNull();
  });

  it('404 for a deleted user, with no lazy re-creation', async () => {
    const user = clerkKnows();
    await webhook(userEvent('user.created', user));
    expect((await webhook(deletedEvent(user.id))).body.outcome).toBe('applied');
    const before = clerk.calls.getUser;
    expect((await getMe(tokenFor(user.id))).status).toBe(404);
    expect(clerk.calls.getUser).toBe(before);
    const tombstone = await storedUser(user.id);
    expect(tombstone).toMatchObject({ deletedAt: expect.any(Date) });
    expect(tombstone).not.toHaveProperty('email');
  });

  it('503, not 401 or 500, when the Backend API is down or failing, and nothing stored', async () => {
    const user = clerkKnows();
    clerk.down = true;
    expect(await getMe(tokenFor(user.id))).toMatchObject({
      status: 503,
      body: { statusCode: 503, message: 'Clerk could not be reached to fetch the user' },
    });
    clerk.down = false;
    clerk.failures.push({ status: 500 });
    expect((await getMe(tokenFor(user.id))).status).toBe(503);
    expect(await storedUser(user.id)).toBeNull();
    expect((await getMe(tokenFor(user.id))).status).toBe(200);
  });

  it('GET /user/favoriteColor answers as the tutorial frontend expects', async () => {
    const user = clerkKnows();
    const response = await request(`${bed.app.url}/user/favoriteColor`, { headers: bearer(tokenFor(user.id)) });
    expect(response.status).toBe(200);
    const color = (await storedUser(user.id))!.favoriteColor;
    expect(response.body).toEqual({ payload: color, message: `Your favorite color is ${color}` });
    expect((await request(`${bed.app.url}/user/favoriteColor`)).status).toBe(401);
  });
});

describe('PATCH /me', () => {
  it('changes the favourite colour and answers like GET /me', async () => {
    const user = clerkKnows();
    const token = tokenFor(user.id);
    for (const color of ['RED', 'GREEN', 'BLUE', 'GREEN']) {
      const response = await patchMe(token, { favoriteColor: color });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ userId: user.id, profile: { id: user.id, favoriteColor: color } });
    }
    expect((await storedUser(user.id))!.favoriteColor).toBe('GREEN');
    expect((await getMe(token)).body.profile.favoriteColor).toBe('GREEN');
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
    const user = clerkKnows();
    const token = tokenFor(user.id);
    await getMe(token);
    const before = JSON.stringify(await dumpDatabase(bed.app.dbUri));
    const response = await patchMe(token, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toMatch(message);
    expect(JSON.stringify(await dumpDatabase(bed.app.dbUri))).toBe(before);
  });

  it('404 for a deleted user: no colour written, no lazy re-creation', async () => {
    const user = clerkKnows();
    await webhook(userEvent('user.created', user));
    expect((await webhook(deletedEvent(user.id))).body.outcome).toBe('applied');
    const before = clerk.calls.getUser;
    const tombstone = await storedUser(user.id);
    expect((await patchMe(tokenFor(user.id), { favoriteColor: 'BLUE' })).status).toBe(404);
    expect(clerk.calls.getUser).toBe(before);
    expect(await storedUser(user.id)).toEqual(tombstone);
  });

  it('400 for a body that is not JSON', async () => {
    const user = clerkKnows();
    const response = await request(`${bed.app.url}/me`, {
      method: 'PATCH',
      headers: { ...bearer(tokenFor(user.id)), 'content-type': 'application/json' },
      body: '{"favoriteColor":',
    });
    expect(response).toMatchObject({
      status: 400,
      body: { statusCode: 400, message: 'The request body is not valid JSON' },
    });
  });

  it('a user.updated webhook after a PATCH keeps the colour', async () => {
    const user = clerkUser({ updatedAt: 1_700_000_000_000 });
    await webhook(userEvent('user.created', user));
    const token = tokenFor(user.id);
    const stored = (await storedUser(user.id))!.favoriteColor;
    const other = ['RED', 'GREEN', 'BLUE'].find((color) => color !== stored)!;
    expect((await patchMe(token, { favoriteColor: other })).status).toBe(200);
    const updated = clerkUser({
      id: user.id,
      firstName: 'Renamed',
      updatedAt: 1_700_000_100_000,
      extra: { favoriteColor: 'RED' },
    });
    expect((await webhook(userEvent('user.updated', updated))).body.outcome).toBe('applied');
    expect(await storedUser(user.id)).toMatchObject({ firstName: 'Renamed', favoriteColor: other });
  });

  it('is rate limited per user (60 a minute), not per address', async () => {
    const busy = clerkKnows();
    const calm = clerkKnows();
    const token = tokenFor(busy.id);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await patchMe(token, { favoriteColor: 'BLUE' })).status);
    expect(statuses.slice(0, 60)).toEqual(Array(60).fill(200));
    expect(statuses[60]).toBe(429);
    const limited = await patchMe(token, { favoriteColor: 'RED' });
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect((await storedUser(busy.id))!.favoriteColor).toBe('BLUE');
    expect((await patchMe(tokenFor(calm.id), { favoriteColor: 'RED' })).status).toBe(200);
    expect((await getMe(token)).status).toBe(200);
  });
});

describe('the session guard with the JWKS of the Backend API', () => {
  const first = createSigningKey();
  const rotated = createSigningKey();
  const jwksClerk = new ClerkStandIn();
  let jwksApp: TestApp;
  let userId: string;

  beforeAll(async () => {
    await jwksClerk.start();
    jwksClerk.jwks = [first.jwk];
    userId = clerkUser().id;
    jwksClerk.putUser(clerkUser({ id: userId }));
    jwksApp = await startTestApp('me_jwks', {
      CLERK_SECRET_KEY: 'sk_test_stand_in_jwks',
      CLERK_API_URL: jwksClerk.url,
    });
  });
  afterAll(async () => {
    await jwksApp?.close();
    await jwksClerk.stop();
  });

  const getJwksMe = (token: string) => getMe(token, jwksApp.url);

  it('verifies tokens with the fetched keys, and caches them', async () => {
    expect((await getJwksMe(mintToken(first, sessionClaims(userId)))).status).toBe(200);
    const fetched = jwksClerk.calls.jwks;
    expect(fetched).toBeGreaterThanOrEqual(1);
    expect((await getJwksMe(mintToken(first, sessionClaims(userId)))).status).toBe(200);
    expect(jwksClerk.calls.jwks).toBe(fetched);
  });

  it('refuses bad tokens with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await getJwksMe(mintToken(first, sessionClaims(userId, { exp: now - 60, iat: now - 120, nbf: now - 120 }))))
        .status,
    ).toBe(401);
    expect((await getJwksMe(mintToken(createSigningKey(first.kid), sessionClaims(userId)))).status).toBe(401);
    expect((await getJwksMe(unsignedToken(first, sessionClaims(userId)))).status).toBe(401);
    expect((await getJwksMe(hs256WithPublicKey(first, sessionClaims(userId)))).status).toBe(401);
  });

  it('follows a key rotation: a token with a new kid makes it fetch the keys again', async () => {
    jwksClerk.jwks = [rotated.jwk, first.jwk];
    const before = jwksClerk.calls.jwks;
    expect((await getJwksMe(mintToken(rotated, sessionClaims(userId)))).status).toBe(200);
    expect(jwksClerk.calls.jwks).toBeGreaterThan(before);
    expect((await getJwksMe(mintToken(first, sessionClaims(userId)))).status).toBe(200);
  });

  it('503 when the keys cannot be fetched for a kid it has not seen', async () => {
    jwksClerk.down = true;
    try {
      const unseen = createSigningKey();
      expect(await getJwksMe(mintToken(unseen, sessionClaims(userId)))).toMatchObject({
        status: 503,
        body: { statusCode: 503, message: 'Clerk could not be reached to verify the session' },
      });
    } finally {
      jwksClerk.down = false;
    }
  });
});
