import { ClerkTestBed } from '../support/clerk-test-bed';
import { request } from '../support/http';
import { waitForOutput } from '../support/service-process';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';

/**
 * Sessions on every authenticated route: a pending session (`sts: pending`) is signed out, every
 * 401 names Clerk's reason in `x-clerk-auth-reason`, and the request's log line at the default
 * level names it too (with the offending azp), never the token. Run as an operator runs the
 * service, to read its log.
 */
const FRONTEND = 'http://localhost:5173';
const bed = ClerkTestBed.use('sessions', { CLERK_AUTHORIZED_PARTIES: FRONTEND }, { process: true });
const now = () => Math.floor(Date.now() / 1000);
let userId: string;
beforeAll(() => {
  userId = bed.putClerkUser().id;
});

/** GET a route with the token (none when undefined), marked by a user-agent to find its log line. */
async function call(mark: string, token: string | undefined, path = '/me') {
  const headers: Record<string, string> = { 'user-agent': mark };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await request(`${bed.url}${path}`, { headers });
  await waitForOutput(bed.service, new RegExp(`"user-agent":"${mark}"[^\n]*"res"`));
  // The request's own line (the one with its answer), not a line written while it was served.
  const line = bed.service.logLines().find((entry) => entry.req?.headers?.['user-agent'] === mark && entry.res)!;
  return { response, line };
}

it.each<[string, string, () => string | undefined]>([
  ['no token', 'session-token-missing', () => undefined],
  ['expired', 'token-expired', () => bed.tokenFor(userId, { exp: now() - 60, iat: now() - 120, nbf: now() - 120 })],
  [
    'not yet valid',
    'token-not-active-yet',
    () => bed.tokenFor(userId, { nbf: now() + 60, iat: now(), exp: now() + 120 }),
  ],
  [
    'signed by another key',
    'token-invalid-signature',
    () => mintToken(createSigningKey(bed.key.kid), sessionClaims(userId)),
  ],
  ['a pending session', 'session-token-pending', () => bed.tokenFor(userId, { sts: 'pending' })],
  ['not a JWT', 'token-invalid', () => 'not.a.jwt'],
])('%s: 401 with x-clerk-auth-reason %s, named in the log line, never the token', async (name, reason, token) => {
  const mark = `sessions-${name.replaceAll(' ', '-')}`;
  const value = token();
  const { response, line } = await call(mark, value);
  expect(response.status).toBe(401);
  expect(response.headers.get('x-clerk-auth-reason')).toBe(reason);
  expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  expect(response.body.message.length).toBeLessThan(100);
  expect(line).toMatchObject({ level: 40, res: { statusCode: 401 }, reason: expect.stringMatching(`^${reason}`) });
  if (value) expect(bed.service.stdout()).not.toContain(value.split('.')[2]);
});

it('an azp that is not allowed: the log names the azp seen and the allowed list', async () => {
  const { response, line } = await call('sessions-azp', bed.tokenFor(userId, { azp: 'https://evil.example' }));
  expect(response.headers.get('x-clerk-auth-reason')).toBe('token-invalid-authorized-parties');
  expect(line.reason).toContain('"https://evil.example"');
  expect(line.reason).toContain(`CLERK_AUTHORIZED_PARTIES (${FRONTEND})`);
});

it('a pending session is refused on every authenticated route; an active one passes', async () => {
  const pending = bed.tokenFor(userId, { sts: 'pending' });
  const routes = ['/me', '/me/organizations', '/user/favoriteColor', `/users/${userId}`, `/users?id=${userId}`];
  for (const path of [...routes, '/organizations/org_2pendingsession/members'])
    expect((await call(`sessions-pending-${path.replace(/[^A-Za-z0-9]/g, '_')}`, pending, path)).response.status).toBe(
      401,
    );
  expect((await call('sessions-active', bed.tokenFor(userId, { sts: 'active' }))).response.status).toBe(200);
});

it("Clerk's 5 s clock skew: a token expired 2 s ago is accepted, one expired 10 s ago is not", async () => {
  const expiredBy = (seconds: number) =>
    bed.tokenFor(userId, { exp: now() - seconds, iat: now() - 60, nbf: now() - 60 });
  expect((await call('sessions-skew-2', expiredBy(2))).response.status).toBe(200);
  expect((await call('sessions-skew-10', expiredBy(10))).response.headers.get('x-clerk-auth-reason')).toBe(
    'token-expired',
  );
});

it('the OpenAPI document declares the x-clerk-auth-reason header on the 401 of GET /me', async () => {
  const spec = (await request(`${bed.url}/docs/json`)).body;
  expect(spec.paths['/me'].get.responses['401'].headers).toHaveProperty('x-clerk-auth-reason');
});
