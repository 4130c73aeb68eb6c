import { ClerkStandIn } from '../support/clerk-stand-in';
import { dropDatabase, uniqueDatabaseUri, withClient } from '../support/database';
import { logLinesOf, RunningService, ServiceProcess, startService } from '../support/service-process';
import { clerkUser } from '../support/payloads';

/**
 * Two service processes on one database with RECONCILE_INTERVAL_MINUTES set: a lease in MongoDB
 * lets exactly one run the reconciliation at a time, and when the holder is killed mid-run the
 * other takes over once the lease expires.
 */
jest.setTimeout(90_000);
const clerk = new ClerkStandIn();
const dbUri = uniqueDatabaseUri('reconcile_schedule');
const services: RunningService[] = [];
/** 3 s: the lease lives 5 s (its minimum) and is renewed while a run lasts. */
const INTERVAL_MINUTES = '0.05';

beforeAll(async () => {
  await clerk.start();
  for (let i = 0; i < 20; i++) clerk.putUser(clerkUser({ createdAt: 1_700_000_000_000 + i }));
});
afterAll(async () => {
  clerk.delayMs = 0;
  for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await clerk.stop();
  await dropDatabase(dbUri);
});

/** An instance on the shared database, once it listens. */
const startInstance = async () => {
  const service = await startService(
    'reconcile_schedule',
    {
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: clerk.url,
      RECONCILE_INTERVAL_MINUTES: INTERVAL_MINUTES,
    },
    { dbUri },
  );
  services.push(service);
  return service;
};

/** Each instance's runs, as [start, end] times from its log (end Infinity while running). */
function runsOf(service: ServiceProcess): [number, number][] {
  const runs: [number, number][] = [];
  for (const line of logLinesOf(service)) {
    if (line.msg === 'Reconciliation started') runs.push([line.time, Infinity]);
    if (line.msg === 'Reconciliation done' && runs.length) runs[runs.length - 1][1] = line.time;
  }
  return runs;
}

const lease = () =>
  withClient(dbUri, (client) =>
    client
      .db()
      .collection('leases')
      .findOne({ _id: 'reconcile' as never }),
  );

it('exactly one instance runs at a time; a killed holder is taken over after its lease expires', async () => {
  clerk.delayMs = 100; // each Backend API call takes a while, so that runs last long enough to overlap
  const [a, b] = await Promise.all([startInstance(), startInstance()]);
  // Several intervals' worth of runs.
  await new Promise((done) => setTimeout(done, 12_000));
  const runs = [...runsOf(a), ...runsOf(b)].sort((x, y) => x[0] - y[0]);
  expect(runs.length).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < runs.length; i++) expect(runs[i][0]).toBeGreaterThanOrEqual(runs[i - 1][1]);
  // Once per interval across both, not once per instance.
  expect(runs.length).toBeLessThanOrEqual(Math.ceil(12_000 / 3_000) + 1);
  // Each run reconciled all of Clerk's users, and said so.
  const done = [a, b].flatMap(logLinesOf).filter((line) => line.msg === 'Reconciliation done');
  expect(done.length).toBeGreaterThanOrEqual(2);
  for (const line of done) expect(line.summary).toMatch(/^users 20 listed: created \d+, .*removed 0/);

  // A long run, and its holder killed in the middle of it.
  clerk.delayMs = 1_500;
  const holderDeadline = Date.now() + 15_000;
  let holder: ServiceProcess | undefined;
  while (!holder && Date.now() < holderDeadline) {
    await new Promise((done) => setTimeout(done, 100));
    holder = [a, b].find((service) => runsOf(service).some(([, end]) => end === Infinity));
  }
  expect(holder).toBeDefined();
  const other = holder === a ? b : a;
  const owner = (await lease())!.owner;
  holder!.child.kill('SIGKILL');
  const killedAt = Date.now();
  const before = runsOf(other).length;
  const deadline = Date.now() + 20_000;
  while (runsOf(other).length === before && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  expect(runsOf(other).length).toBe(before + 1);
  const takenOver = runsOf(other)[before][0];
  // Not before the dead holder's lease (5 s, renewed every 1.7 s) ran out.
  expect(takenOver - killedAt).toBeGreaterThanOrEqual(2_500);
  expect((await lease())!.owner).not.toBe(owner);
});
