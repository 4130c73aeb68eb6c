import { startTestApp } from '../support/app';
import { BackfillBed } from '../support/backfill-bed';
import { request } from '../support/http';
import { clerkUser } from '../support/payloads';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';

/**
 * One Backend API budget per secret key across processes: two `users:backfill` runs at once (or a
 * run beside the service's reconciliation) together stay within half of Clerk's limit for the key
 * (a development key: 100 requests per 10 s, so 50), counted over any 10 s.
 */
const ids = Array.from({ length: 80 }, () => clerkUser().id);
const bed = BackfillBed.use('shared_budget', (clerk) => {
  for (const id of ids) clerk.putUser(clerkUser({ id }));
});

it('two runs at once never pass half of a development key’s limit in any 10 s, and both end right', async () => {
  const since = Date.now();
  const userArgs = (part: string[]) => part.flatMap((id) => ['--user', id]);
  const [first, second] = await Promise.all([
    bed.backfill(...userArgs(ids.slice(0, 40))),
    bed.backfill(...userArgs(ids.slice(40))),
  ]);
  expect([first.code, second.code]).toEqual([0, 0]);
  expect(bed.clerk.calls.getUser).toBe(80);
  expect(bed.clerk.maxRequestsWithin(10_000, since)).toBeLessThanOrEqual(50);
  // The run that waited says why.
  expect([first, second].map(({ stdout, stderr }) => stdout + stderr).join('\n')).toMatch(
    /Waiting for Clerk's rate budget: other processes/,
  );
}, 90_000);

it('lazy sync keeps its share: with Clerk’s limit enforced, first-time GET /me all answer 200 beside two runs', async () => {
  bed.clerk.rateLimit = 100;
  const key = createSigningKey();
  const app = await startTestApp(
    'shared_budget_me',
    { CLERK_JWT_KEY: key.publicKeyPem, CLERK_SECRET_KEY: 'sk_test_stand_in', CLERK_API_URL: bed.clerk.url },
    { dbUri: bed.dbUri },
  );
  try {
    const newcomers = Array.from({ length: 40 }, () => clerkUser());
    for (const user of newcomers) bed.clerk.putUser(user);
    const runs = Promise.all([
      bed.backfill(...ids.slice(0, 40).flatMap((id) => ['--user', id])),
      bed.backfill(...ids.slice(40).flatMap((id) => ['--user', id])),
    ]);
    const statuses: number[] = [];
    for (const user of newcomers) {
      const token = mintToken(key, sessionClaims(user.id));
      statuses.push((await request(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } })).status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await runs).map(({ code }) => code)).toEqual([0, 0]);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(bed.clerk.throttled).toBe(0);
  } finally {
    await app.close({ keepDatabase: true });
  }
}, 90_000);
