import { startTestApp, TestApp } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { request } from '../support/http';
import { newUserId, clerkUser } from '../support/payloads';
import { createSigningKey, hs256WithPublicKey, mintToken, sessionClaims, unsignedToken } from '../support/tokens';

/**
 * The session guard on every route but the public ones: Clerk session tokens from the
 * Authorization header or the __session cookie, verified networkless (CLERK_JWT_KEY) or with the
 * JWKS of the Backend API. GET /me itself: me.e2e-spec.ts.
 */
const FRONTEND = 'http://localhost:5173';
const bed = ClerkTestBed.use('guard', { CLERK_AUTHORIZED_PARTIES: FRONTEND });
const { key } = bed;

const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/^The session/) };

describe('the session guard (networkless, CLERK_JWT_KEY)', () => {
  let userId: string;
  beforeAll(async () => {
    userId = bed.putClerkUser().id;
    expect((await bed.getMe(bed.tokenFor(userId))).status).toBe(200);
  });

  it('accepts a valid token from the Authorization header or the __session cookie', async () => {
    expect((await bed.getMe(bed.tokenFor(userId))).status).toBe(200);
    const viaCookie = await request(`${bed.app.url}/me`, { headers: { cookie: `__session=${bed.tokenFor(userId)}` } });
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
    ['expired', () => bed.tokenFor(userId, { exp: now() - 60, iat: now() - 120, nbf: now() - 120 })],
    ['not yet valid', () => bed.tokenFor(userId, { nbf: now() + 60, iat: now() + 60, exp: now() + 120 })],
    [
      'tampered (payload changed after signing)',
      () => {
        const [head, , signature] = bed.tokenFor(userId).split('.');
        return `${head}.${Buffer.from(JSON.stringify(sessionClaims(newUserId()))).toString('base64url')}.${signature}`;
      },
    ],
    ['signed by another key with the same kid', () => mintToken(otherKey, sessionClaims(userId))],
    ['alg none', () => unsignedToken(key, sessionClaims(userId))],
    ['HS256 signed with the public key', () => hs256WithPublicKey(key, sessionClaims(userId))],
    ['an azp that is not an authorized party', () => bed.tokenFor(userId, { azp: 'https://evil.example' })],
    ['no sub', () => bed.tokenFor(userId, { sub: undefined })],
    ['garbage', () => 'not.a.jwt'],
    ['a bare word', () => 'hello'],
  ])('refuses a token that is %s with a 401 that names no internals', async (_, token) => {
    const response = await bed.getMe(token());
    expect(response.status).toBe(401);
    expect(response.body).toEqual(UNAUTHORIZED);
    expect(response.headers.get('x-clerk-auth-reason')).toMatch(/^[a-z-]+$/);
  });

  it('hands the session (user, session and organisation ids) to the handler', async () => {
    const response = await bed.getMe(bed.tokenFor(userId, { sid: 'sess_abc', org_id: 'org_xyz' }));
    expect(response.body).toMatchObject({ userId, sessionId: 'sess_abc', orgId: 'org_xyz' });
    expect((await bed.getMe(bed.tokenFor(userId, { sid: 'sess_abc' }))).body.orgId).toBeNull();
  });

  it('public routes need no token', async () => {
    expect((await request(`${bed.app.url}/health/live`)).status).toBe(200);
    expect((await request(`${bed.app.url}/docs/json`)).status).toBe(200);
  });

  it('an Authorization header that is not "Bearer <token>" says so', async () => {
    for (const header of ['Bearer a b', 'Basic dXNlcjpwYXNz', 'Bearer']) {
      expect(await request(`${bed.app.url}/me`, { headers: { authorization: header } })).toMatchObject({
        status: 401,
        body: { statusCode: 401, message: 'The Authorization header must be "Bearer <session token>"' },
      });
    }
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

  const getJwksMe = (token: string) => request(`${jwksApp.url}/me`, { headers: { authorization: `Bearer ${token}` } });

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

  it('503 when the keys cannot be fetched for a kid it has not seen (past the interval between such fetches)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    jwksClerk.down = true;
    try {
      const unseen = createSigningKey();
      expect(await getJwksMe(mintToken(unseen, sessionClaims(userId)))).toMatchObject({
        status: 503,
        body: { statusCode: 503, message: 'Clerk could not be reached to verify the session' },
      });
      // What the JWKS alert (docs/monitoring/alerts.yml) watches.
      const metrics = (await request<string>(`${jwksApp.url}/metrics`)).body;
      expect(metrics).toMatch(/^clerk_session_verification_unavailable_total 1$/m);
    } finally {
      jwksClerk.down = false;
    }
  });
});
