import { DEFAULT_RETRY_AFTER_SECONDS } from '../../src/http/error-message';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { StandInFailure } from '../support/clerk-stand-in';
import { deletedEvent, newUserId, userEvent } from '../support/payloads';

/**
 * The first GET /me of a user the webhooks have not brought yet: fetched from Clerk's Backend API,
 * stored, then served from the database. When that fetch fails, the answer says whose problem it
 * is: 502 when Clerk refuses our key or answers with something unusable, 503 (with Retry-After
 * when Clerk gave one) when Clerk is unreachable, failing or throttling.
 */
const bed = ClerkTestBed.use('lazy_sync');

describe('a user not stored yet', () => {
  it('lazily syncs a user the webhook has not brought yet, then answers from the database', async () => {
    const user = bed.putClerkUser({ emails: ['lazy@example.test'] });
    const before = bed.clerk.calls.getUser;
    const first = await bed.getMe(bed.tokenFor(user.id));
    expect(first.status).toBe(200);
    expect(first.body.profile).toMatchObject({ id: user.id, email: 'lazy@example.test' });
    expect(bed.clerk.calls.getUser).toBe(before + 1);
    expect(await bed.storedUser(user.id)).toMatchObject({ email: 'lazy@example.test', writtenBy: 'lazy-sync' });
    const second = await bed.getMe(bed.tokenFor(user.id));
    expect(second.body.profile).toEqual(first.body.profile);
    expect(bed.clerk.calls.getUser).toBe(before + 1);
  });

  it('30 concurrent first calls for one user make one Backend API call', async () => {
    const user = bed.putClerkUser();
    bed.clerk.delayMs = 200;
    const before = bed.clerk.calls.getUser;
    const responses = await Promise.all(Array.from({ length: 30 }, () => bed.getMe(bed.tokenFor(user.id))));
    expect(responses.map((response) => response.status)).toEqual(Array(30).fill(200));
    expect(new Set(responses.map((response) => response.body.profile.favoriteColor)).size).toBe(1);
    expect(bed.clerk.calls.getUser).toBe(before + 1);
  });

  it('404 for a user Clerk does not know, and nothing stored', async () => {
    const id = newUserId();
    expect(await bed.getMe(bed.tokenFor(id))).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'User not found' },
    });
    expect(await bed.storedUser(id)).toBeNull();
  });

  it('404 for a deleted user, with no lazy re-creation', async () => {
    const user = bed.putClerkUser();
    await bed.postWebhook(userEvent('user.created', user));
    expect((await bed.postWebhook(deletedEvent(user.id))).body.outcome).toBe('applied');
    const before = bed.clerk.calls.getUser;
    expect((await bed.getMe(bed.tokenFor(user.id))).status).toBe(404);
    expect(bed.clerk.calls.getUser).toBe(before);
    const tombstone = await bed.storedUser(user.id);
    expect(tombstone).toMatchObject({ deletedAt: expect.any(Date) });
    expect(tombstone).not.toHaveProperty('email');
  });

  it('503, not 401 or 500, when the Backend API is down or failing, and nothing stored', async () => {
    const user = bed.putClerkUser();
    bed.clerk.down = true;
    expect(await bed.getMe(bed.tokenFor(user.id))).toMatchObject({
      status: 503,
      body: { statusCode: 503, message: 'Clerk could not be reached to fetch the user' },
    });
    bed.clerk.down = false;
    bed.clerk.failures.push({ status: 500 });
    expect((await bed.getMe(bed.tokenFor(user.id))).status).toBe(503);
    expect(await bed.storedUser(user.id)).toBeNull();
    expect((await bed.getMe(bed.tokenFor(user.id))).status).toBe(200);
  });
});

describe('when the fetch from Clerk fails', () => {
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
    const user = bed.putClerkUser();
    bed.clerk.failures.push(failure);
    expect(await bed.getMe(bed.tokenFor(user.id))).toMatchObject({
      status: 502,
      body: { statusCode: 502, error: 'Bad Gateway', message },
    });
    expect(await bed.storedUser(user.id)).toBeNull();
    expect((await bed.getMe(bed.tokenFor(user.id))).status).toBe(200);
  });

  it('Clerk throttles (429): 503 with the Retry-After Clerk gave', async () => {
    const user = bed.putClerkUser();
    bed.clerk.failures.push({ status: 429, retryAfter: 7 });
    const response = await bed.getMe(bed.tokenFor(user.id));
    expect(response).toMatchObject({
      status: 503,
      body: { statusCode: 503, message: "Clerk's rate limit was reached; try again later" },
    });
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it.each<[string, () => void]>([
    ['answers 500', () => bed.clerk.failures.push({ status: 500 })],
    ['answers 503', () => bed.clerk.failures.push({ status: 503 })],
    ['cannot be reached', () => (bed.clerk.down = true)],
  ])('Clerk %s: 503 with the default Retry-After (every 503 carries one)', async (_, fail) => {
    const user = bed.putClerkUser();
    fail();
    const response = await bed.getMe(bed.tokenFor(user.id));
    expect(response).toMatchObject({
      status: 503,
      body: { statusCode: 503, message: 'Clerk could not be reached to fetch the user' },
    });
    expect(response.headers.get('retry-after')).toBe(String(DEFAULT_RETRY_AFTER_SECONDS));
  });
});
