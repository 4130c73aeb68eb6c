import { startTestApp, TestApp, waitUntilReady } from '../support/app';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { storedUser } from '../support/database';
import { JsonResponse, postWebhook, request } from '../support/http';
import { findOutsideTool, SECANTUSD } from '../support/outside-tools';
import { SecantusProcess } from '../support/secantus-process';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';

/**
 * The database paused with SIGSTOP (it accepts connections and answers nothing), with the
 * default DATABASE_TIMEOUT_SECONDS: webhooks, PATCH /me and GET /me answer 503 with Retry-After
 * well within Svix's 15 s, liveness stays quick, and once the database runs again everything
 * answered 2xx is stored. A database of the test's own: the shared one must not be paused.
 */
const binary = findOutsideTool(SECANTUSD, 'test/outages-stalled-database.e2e-spec.ts');
const describeWithSecantus = binary ? describe : describe.skip;
jest.setTimeout(120_000);

const PAUSE_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithSecantus('a database paused with SIGSTOP', () => {
  const key = createSigningKey();
  const secret = newWebhookSecret();
  const clerk = new ClerkStandIn();
  let db: SecantusProcess;
  let t: TestApp;

  beforeAll(async () => {
    db = await new SecantusProcess(binary!).start();
    await clerk.start();
    t = await startTestApp(
      'stalled',
      {
        CLERK_JWT_KEY: key.publicKeyPem,
        CLERK_SECRET_KEY: 'sk_test_stand_in',
        CLERK_API_URL: clerk.url,
        CLERK_WEBHOOK_SIGNING_SECRET: secret,
      },
      { dbUri: db.uri('stalled') },
    );
  });
  afterAll(async () => {
    db?.resume();
    await t?.close({ keepDatabase: true });
    await clerk.stop();
    await db?.stop();
  });

  const timed = async (send: () => Promise<JsonResponse>) => {
    const started = Date.now();
    const response = await send();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), tookMs: Date.now() - started };
  };

  it('answers 503 with Retry-After within 15 s, and what is answered later is stored', async () => {
    const known = clerkUser();
    expect((await postWebhook(t.url, signedDelivery(secret, userEvent('user.created', known)))).status).toBe(200);
    const lazy = clerkUser();
    clerk.putUser(lazy);
    const auth = (userId: string) => ({ authorization: `Bearer ${mintToken(key, sessionClaims(userId))}` });
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    const userOf = (d: typeof delivery) => (JSON.parse(String(d.body)) as { data: { id: string } }).data.id;

    db.pause();
    const pausedAt = Date.now();
    const [webhook, patch, getMe, lazySync, live] = await Promise.all([
      timed(() => postWebhook(t.url, delivery)),
      timed(() =>
        request(`${t.url}/me`, {
          method: 'PATCH',
          headers: { ...auth(known.id), 'content-type': 'application/json' },
          body: JSON.stringify({ favoriteColor: 'GREEN' }),
        }),
      ),
      timed(() => request(`${t.url}/me`, { headers: auth(known.id) })),
      timed(() => request(`${t.url}/me`, { headers: auth(lazy.id) })),
      sleep(1_000).then(() => timed(() => request(`${t.url}/health/live`))),
    ]);
    for (const answer of [webhook, patch, getMe, lazySync]) {
      expect(answer).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      expect(answer.tookMs).toBeLessThan(10_000);
    }
    expect(live.status).toBe(200);
    expect(live.tookMs).toBeLessThan(500);

    // Svix retries while the database is still paused: again 503 in time, never a hang.
    await sleep(Math.max(0, PAUSE_MS / 2 - (Date.now() - pausedAt)));
    const again = await timed(() => postWebhook(t.url, delivery));
    expect(again).toMatchObject({ status: 503 });
    expect(again.tookMs).toBeLessThan(10_000);

    await sleep(Math.max(0, PAUSE_MS - (Date.now() - pausedAt)));
    db.resume();
    await waitUntilReady(t.url, 30_000);

    // Retried as Svix would until a 2xx; each 2xx is stored.
    let retried;
    for (let attempt = 0; attempt < 30; attempt++) {
      retried = await postWebhook(t.url, delivery);
      if (retried.status === 200) break;
      await sleep(500);
    }
    expect(retried).toMatchObject({ status: 200, body: { received: true } });
    expect(['applied', 'duplicate']).toContain(retried!.body.outcome);
    expect(await storedUser(db.uri('stalled'), userOf(delivery))).toMatchObject({ firstName: 'Ada', deletedAt: null });
    const patched = await request(`${t.url}/me`, {
      method: 'PATCH',
      headers: { ...auth(known.id), 'content-type': 'application/json' },
      body: JSON.stringify({ favoriteColor: 'GREEN' }),
    });
    expect(patched.status).toBe(200);
    expect(await storedUser(db.uri('stalled'), known.id)).toMatchObject({ favoriteColor: 'GREEN' });
    expect((await request(`${t.url}/me`, { headers: auth(lazy.id) })).status).toBe(200);
    expect(await storedUser(db.uri('stalled'), lazy.id)).toMatchObject({ _id: lazy.id });
  });
});
