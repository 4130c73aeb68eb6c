import { randomBytes, randomInt } from 'node:crypto';
import { mapLimited } from '../../src/common/map-limited';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { request } from '../support/http';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';
import { clerkUser } from '../support/payloads';

/**
 * Anything wrong with a session token itself is 401, never 503: only Clerk's JWKS being out of
 * reach is (see outages-timeouts). Malformed headers and payloads, bad base64url, huge segments
 * and signed tokens with claims of the wrong types, as a bearer token and as the __session
 * cookie, with a PEM key (networkless) and with Clerk's JWKS.
 */
const pem = ClerkTestBed.use('token_fuzz');
const jwks = ClerkTestBed.use('token_fuzz_jwks', { CLERK_JWT_KEY: '' });
beforeAll(() => {
  jwks.clerk.jwks = [jwks.key.jwk];
});

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const unsigned = (header: unknown, payload: unknown = { sub: 'user_1' }) => `${b64(header)}.${b64(payload)}.AAAA`;
const head = { alg: 'RS256', typ: 'JWT', kid: 'ins_fuzz' };

const MALFORMED: [string, string][] = [
  ['a JSON null header', 'bnVsbA.e30.AAAA'],
  ['an array header', unsigned([head])],
  ['a number header', unsigned(42)],
  ['a string header', unsigned('"RS256"')],
  ['a boolean header', unsigned(true)],
  ['a null payload', unsigned(head, null)],
  ['an array payload', unsigned(head, [{ sub: 'user_1' }])],
  ['a number payload', unsigned(head, 1)],
  ['a header that is not JSON', `${b64('{"alg":')}.e30.AAAA`],
  ['a kid that is an object', unsigned({ ...head, kid: { $ne: null } })],
  ['a kid that is a number', unsigned({ ...head, kid: 7 })],
  ['alg none', unsigned({ ...head, alg: 'none' })],
  ['an alg that is an array', unsigned({ ...head, alg: ['RS256'] })],
  ['standard base64 characters', 'eyJhbGciOiJSUzI1NiJ9+/.e30.AA=='],
  ['characters outside base64', '!!!.###.$$$'],
  ['non-ASCII', 'é.é.é'],
  ['empty segments', '..'],
  ['two segments', 'e30.e30'],
  ['five segments', 'e30.e30.e30.e30.e30'],
  ['a huge header segment', `${'A'.repeat(7_000)}.e30.AAAA`],
  ['a huge valid-JSON header', unsigned({ ...head, pad: 'x'.repeat(5_000) })],
  ['a token over 8 KiB', `${b64(head)}.${b64({ pad: 'x'.repeat(9_000) })}.AAAA`],
  ['one dot', '.'],
];

/** Signed with the right key, but not a Clerk session: claims of the wrong types. */
const signedOddities = (key: ReturnType<typeof createSigningKey>): [string, string][] =>
  (
    [
      ['a numeric subject', { sub: 123 }],
      ['a null subject', { sub: null }],
      ['an object subject', { sub: { id: 'user_1' } }],
      ['an empty subject', { sub: '' }],
      ['an expiry that is a string', { exp: 'tomorrow' }],
      ['an expiry that is null', { exp: null }],
      ['a not-before that is an array', { nbf: [] }],
    ] as [string, Record<string, unknown>][]
  ).map(([name, claims]) => [`signed, ${name}`, mintToken(key, { ...sessionClaims('user_fuzz'), ...claims })]);

/** Random strings of JWT characters and dots, and valid tokens with one character changed. */
function randomTokens(key: ReturnType<typeof createSigningKey>, count: number): [string, string][] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/=';
  const tokens: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const length = randomInt(1, 600);
    tokens.push([`random #${i}`, Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('')]);
    const valid = mintToken(key, sessionClaims('user_fuzz'));
    const at = randomInt(valid.length);
    const swapped = valid[at] === 'A' ? 'B' : 'A';
    if (valid[at] !== '.') tokens.push([`mutated #${i}`, valid.slice(0, at) + swapped + valid.slice(at + 1)]);
  }
  tokens.push(['random bytes', randomBytes(300).toString('base64url')]);
  return tokens;
}

describe.each([
  ['a PEM key (CLERK_JWT_KEY)', pem],
  ["Clerk's JWKS", jwks],
])('with %s', (_, bed) => {
  const cases = () => [...MALFORMED, ...signedOddities(bed.key), ...randomTokens(bed.key, 100)];

  it.each([
    ['as a bearer token', (token: string) => ({ authorization: `Bearer ${token}` })],
    ['as the __session cookie', (token: string) => ({ cookie: `__session=${token}` })],
  ])('every malformed token %s is 401', async (_, headersFor) => {
    const all = cases();
    const answers = await mapLimited(all, 8, async ([name, token]) => {
      const { status, body } = await request(`${bed.app.url}/me`, { headers: headersFor(token) });
      return { name, status, body };
    });
    const not401 = answers.filter(({ status }) => status !== 401);
    expect(not401).toEqual([]);
    for (const { body } of answers)
      expect(body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    // The valid token still works, so the 401s are about the tokens.
    const valid = mintToken(bed.key, sessionClaims('user_fuzz'));
    bed.clerk.putUser(clerkUser({ id: 'user_fuzz' }));
    expect((await request(`${bed.app.url}/me`, { headers: headersFor(valid) })).status).toBe(200);
  });
});
