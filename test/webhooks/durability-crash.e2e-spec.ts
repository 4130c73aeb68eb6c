import { mapLimited } from '../../src/common/map-limited';
import { startTestApp, TestApp } from '../support/app';
import { storedUsers } from '../support/database';
import { postWebhook } from '../support/http';
import { findOutsideTool, SECANTUSD } from '../support/outside-tools';
import { SecantusProcess } from '../support/secantus-process';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';

/**
 * The database killed with `kill -9` mid-burst and restarted on the same storage, while a
 * Svix-like sender retries every answer that is not a 2xx: every delivery that was ever answered
 * 2xx is stored afterwards. A database of the test's own (SecantusDB with --sync-on-commit, as
 * CI runs it), since the shared one must not be killed.
 */
const binary = findOutsideTool(SECANTUSD, 'test/durability-crash.e2e-spec.ts');
const describeWithSecantus = binary ? describe : describe.skip;
jest.setTimeout(300_000);

const BURST = 400;
const CONCURRENCY = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithSecantus('kill -9 of the database mid-burst', () => {
  const secret = newWebhookSecret();
  let db: SecantusProcess;
  let t: TestApp;

  beforeAll(async () => {
    db = await new SecantusProcess(binary!).start();
    t = await startTestApp('crash', { CLERK_WEBHOOK_SIGNING_SECRET: secret }, { dbUri: db.uri('crash') });
  });
  afterAll(async () => {
    await t?.close({ keepDatabase: true });
    await db?.stop();
  });

  it.each([1, 2, 3])('run %i: every delivery answered 2xx is stored after the restart', async () => {
    const users = Array.from({ length: BURST }, () => clerkUser());
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let answered = 0;
    const crash = (async () => {
      while (answered < BURST / 4) await sleep(2);
      await db.kill();
      await sleep(300);
      await db.start();
    })();
    // Svix retries every answer but a 2xx (here at once, then every 200 ms); a 2xx is final.
    await mapLimited(users, CONCURRENCY, async (user) => {
      const delivery = signedDelivery(secret, userEvent('user.created', user));
      for (let attempt = 0; attempt < 200; attempt++) {
        const { status } = await postWebhook(t.url, delivery).catch(() => ({ status: 0 }));
        answered++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) return void acknowledged.push(user.id);
        await sleep(200);
      }
    });
    await crash;

    const stored = new Set((await storedUsers(db.uri('crash'))).map((user) => String(user._id)));
    const lost = acknowledged.filter((id) => !stored.has(id));
    // The crash happened mid-burst: some answers were refused and retried.
    expect([...statuses.keys()].some((status) => status !== 200)).toBe(true);
    expect({ acknowledged: acknowledged.length, lost }).toEqual({ acknowledged: BURST, lost: [] });
    expect(statuses.get(500)).toBeUndefined();
  });
});
