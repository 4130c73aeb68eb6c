import { DEFAULT_RETRY_AFTER_SECONDS } from '../src/common/error-message';
import { ClerkTestBed } from './support/clerk-test-bed';
import { StandInFailure } from './support/clerk-stand-in';
import { storedUser } from './support/database';
import { request } from './support/http';
import { mintToken, sessionClaims } from './support/tokens';
import { clerkUser } from './support/webhooks';

/**
 * When the first GET /me of a user must fetch it from Clerk and that fails, the answer says
 * whose problem it is: 502 when Clerk refuses our key or answers with something unusable, 503
 * (with Retry-After when Clerk gave one) when Clerk is unreachable, failing or throttling.
 */
const bed = ClerkTestBed.use('lazy_sync');
const { key, clerk } = bed;
beforeEach(() => {
  clerk.down = false;
  clerk.failures.length = 0;
});

const getMe = (userId: string) =>
  request(`${bed.app.url}/me`, { headers: { authorization: `Bearer ${mintToken(key, sessionClaims(userId))}` } });
const knownUser = () => {
  const user = clerkUser();
  clerk.putUser(user);
  return user;
};

it.each<[string, StandInFailure, string]>([
  ['Clerk refuses the key (401)', { status: 401 }, "Clerk refused the service's credentials"],
  ['Clerk refuses the key (403)', { status: 403 }, "Clerk refused the service's credentials"],
  [
    'Clerk answers JSON the SDK cannot parse',
    { status: 200, rawBody: '<html>' },
    'Clerk returned an answer the service cannot use',
  ],
  [
    'Clerk answers a user without an id',
    { status: 200, rawBody: '{"object":"user"}' },
    'Clerk returned a user the service cannot use',
  ],
])('%s: 502, nothing stored, and the next call tries again', async (_, failure, message) => {
  const user = knownUser();
  clerk.failures.push(failure);
  expect(await getMe(user.id)).toMatchObject({ status: 502, body: { statusCode: 502, error: 'Bad Gateway', message } });
  expect(await storedUser(bed.app.dbUri, user.id)).toBeNull();
  expect((await getMe(user.id)).status).toBe(200);
});

it('Clerk throttles (429): 503 with the Retry-After Clerk gave', async () => {
  const user = knownUser();
  clerk.failures.push({ status: 429, retryAfter: 7 });
  const response = await getMe(user.id);
  expect(response).toMatchObject({
    status: 503,
    body: { statusCode: 503, message: "Clerk's rate limit was reached; try again later" },
  });
  expect(response.headers.get('retry-after')).toBe('7');
});

it.each<[string, () => void]>([
  ['answers 500', () => clerk.failures.push({ status: 500 })],
  ['answers 503', () => clerk.failures.push({ status: 503 })],
  ['cannot be reached', () => (clerk.down = true)],
])('Clerk %s: 503 with the default Retry-After (every 503 carries one)', async (_, fail) => {
  const user = knownUser();
  fail();
  const response = await getMe(user.id);
  expect(response).toMatchObject({
    status: 503,
    body: { statusCode: 503, message: 'Clerk could not be reached to fetch the user' },
  });
  expect(response.headers.get('retry-after')).toBe(String(DEFAULT_RETRY_AFTER_SECONDS));
});
