import { mapLimited } from '../../src/common/map-limited';
import { startTestAppBehindProxy, TestApp, waitUntilReady } from '../support/app';
import { storedUser, storedUsers } from '../support/database';
import { postWebhook, request } from '../support/http';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';
import type { TcpProxy } from '../support/tcp-proxy';

/**
 * Database outages: the app reaches the database through a proxy the test can cut, as if the
 * server stopped. Nothing answered 2xx is lost, and everything refused is taken when Svix retries.
 * (The lazy sync's outages of Clerk are in lazy-sync.e2e-spec.ts.)
 */
const secret = newWebhookSecret();

describe('the database away and back, with no restart', () => {
  let t: TestApp & { proxy: TcpProxy };
  beforeAll(async () => {
    t = await startTestAppBehindProxy('outage', { CLERK_WEBHOOK_SIGNING_SECRET: secret });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('readiness goes 503 while the database is away and 200 when it is back, with no restart', async () => {
    expect((await request(`${t.url}/health/ready`)).status).toBe(200);
    await t.proxy.stop();
    const down = await request(`${t.url}/health/ready`);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database did not answer a ping',
    });
    expect((await request(`${t.url}/health/live`)).status).toBe(200);
    await t.proxy.start();
    await waitUntilReady(t.url);
  });

  it('a webhook while the database is away gets 503, and the same delivery is applied once it is back', async () => {
    const user = clerkUser();
    const delivery = signedDelivery(secret, userEvent('user.created', user));
    await t.proxy.stop();
    const refused = await postWebhook(t.url, delivery);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, message: 'The database is unavailable; try again later' });
    await t.proxy.start();
    await waitUntilReady(t.url);
    const retried = await postWebhook(t.url, delivery);
    expect(retried.body).toEqual({ received: true, outcome: 'applied' });
    const stored = await storedUser(t.dbUri, user.id);
    expect(stored).toMatchObject({ firstName: 'Ada' });
  });

  it('a redelivery while the database is away gets 503, and duplicate once it is back', async () => {
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    expect((await postWebhook(t.url, delivery)).body).toEqual({ received: true, outcome: 'applied' });
    await t.proxy.stop();
    try {
      // Svix redelivers when our answer was lost; telling it apart needs the database, so Svix retries.
      expect((await postWebhook(t.url, delivery)).status).toBe(503);
    } finally {
      await t.proxy.start();
    }
    await waitUntilReady(t.url);
    expect((await postWebhook(t.url, delivery)).body).toEqual({ received: true, outcome: 'duplicate' });
  });
});

/**
 * The database cut in the middle of a burst, with an app and database of its own. (Run in the
 * same app right after the 2,000-delivery burst, the driver twice stayed in server-selection
 * failure for minutes behind the test's TCP proxy; not reproduced otherwise, under study.)
 */
describe('the database stopped mid-burst', () => {
  // Bounded, but FerretDB on two shared cores writes a few hundred documents a second at best.
  jest.setTimeout(180_000);
  let t: TestApp & { proxy: TcpProxy };
  beforeAll(async () => {
    t = await startTestAppBehindProxy('outage_burst', { CLERK_WEBHOOK_SIGNING_SECRET: secret });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the database stopped mid-burst: 2xx answers were stored, the rest 503, and re-sending them completes the set', async () => {
    const created = Array.from({ length: 300 }, () => clerkUser());
    const deliveries = created.map((user) => signedDelivery(secret, userEvent('user.created', user)));
    let answered = 0;
    const outage = (async () => {
      while (answered < 60) await new Promise((resolve) => setTimeout(resolve, 5));
      await t.proxy.stop();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await t.proxy.start();
    })();
    const answers = await mapLimited(deliveries, 20, async (delivery) => {
      const answer = await postWebhook(t.url, delivery);
      answered++;
      return answer;
    });
    await outage;

    const accepted = created.filter((_, i) => answers[i].status === 200);
    const refused = deliveries.filter((_, i) => answers[i].status !== 200);
    expect(answers.every(({ status }) => status === 200 || status === 503)).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    for (const { body } of answers.filter(({ status }) => status === 503)) {
      expect(body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The database is unavailable; try again later',
      });
    }

    // Once the database answers again, every 2xx is there.
    await waitUntilReady(t.url, 20_000);
    const storedIds = new Set((await storedUsers(t.dbUri)).map((user) => String(user._id)));
    for (const user of accepted) expect(storedIds.has(user.id)).toBe(true);

    // Svix retries the refused ones: all are taken now, as applied or (written before the cut) duplicate.
    const retried = await mapLimited(refused, 20, (delivery) => postWebhook(t.url, delivery));
    expect(retried.map(({ status }) => status)).toEqual(Array(refused.length).fill(200));
    for (const { body } of retried) expect(['applied', 'duplicate']).toContain(body.outcome);
    const after = await storedUsers(t.dbUri);
    const mine = after.filter((user) => created.some((c) => c.id === String(user._id)));
    expect(mine).toHaveLength(300);
    expect(mine.every((user) => user.firstName === 'Ada' && user.deletedAt === null)).toBe(true);
    const again = await mapLimited(deliveries, 20, (delivery) => postWebhook(t.url, delivery));
    expect(again.every(({ body }) => body.outcome === 'duplicate')).toBe(true);
  });
});
