import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { request } from '../support/http';
import { runService, startService, waitForOutput } from '../support/service-process';

/**
 * Starting and stopping the built service as an operator runs it (`node dist/src/main.js`, from
 * an empty directory so that no .env is read; `npm test` builds first). What it logs: logging.e2e-spec.ts.
 */
describe('bad configuration stops the start with one message', () => {
  it('names a bad PORT and a malformed webhook secret together, with no stack trace', async () => {
    const started = runService({
      PORT: '99999',
      CLERK_WEBHOOK_SIGNING_SECRET: 'not-a-secret',
      MONGODB_URI: 'mongodb://127.0.0.1:1/x',
    });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message).toMatch(
      /^Invalid configuration \(PORT, CLERK_WEBHOOK_SIGNING_SECRET\):\n {2}- PORT .*\n {2}- CLERK_WEBHOOK_SIGNING_SECRET .*$/,
    );
    expect(message).not.toContain('not-a-secret');
    expect(message).not.toMatch(/^\s+at /m);
  });

  it('a NODE_ENV typo (prod) gets production rules: the missing Clerk variables stop the start', async () => {
    const started = runService({ NODE_ENV: 'prod', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(await started.exited).toBe(1);
    expect(started.stderr()).toMatch(/^Invalid configuration \(CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY\)/);
    expect(started.stderr()).toContain('is required when NODE_ENV=prod');
  });

  it('in production, names the missing Clerk variables', async () => {
    const started = runService({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message).toMatch(
      /^Invalid configuration \(CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY\):\n {2}- .*\n {2}- .*$/,
    );
    expect(message).not.toMatch(/^\s+at /m);
  });

  it("no MONGODB_URI and no embedded MongoDB: our advice comes first, the embedded server's reason after", async () => {
    // A mongod binary that does not exist stands for a machine where MongoDB cannot be downloaded.
    const started = runService({ MONGOMS_SYSTEM_BINARY: join(tmpdir(), 'no-such-dir', 'no-such-mongod') });
    expect(await started.exited).toBe(1);
    const [first, second] = started.stderr().trim().split('\n');
    expect(first).toBe('MONGODB_URI is not set and the embedded MongoDB (mongodb-memory-server) could not start.');
    expect(second).toMatch(
      /^Set MONGODB_URI to any running MongoDB, e\.g\. MONGODB_URI=mongodb:\/\/127\.0\.0\.1:27017\/\S+ npm start$/,
    );
    expect(started.stderr()).toMatch(/mongodb-memory-server said: .+/);
  });

  it('an unreachable database is one message with the password masked', async () => {
    const started = runService({ MONGODB_URI: 'mongodb://app:hunter2@127.0.0.1:1/app?serverSelectionTimeoutMS=500' });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Cannot connect to MongoDB at mongodb:\/\/app:\*\*\*\*@127\.0\.0\.1:1\/app/);
    expect(message).not.toContain('hunter2');
  });
});

it('in development starts without Clerk variables, warns once naming them, and leaves health checks out of the log', async () => {
  const service = await startService('startup_dev', { LOG_LEVEL: 'info' });
  try {
    expect((await request(`${service.url}/health/ready`)).status).toBe(200);
    expect(
      await request(`${service.url}/webhooks/clerk`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({
      status: 503,
      body: { message: 'Webhook verification is not configured: set CLERK_WEBHOOK_SIGNING_SECRET' },
    });
    await waitForOutput(service, /"url":"\/webhooks\/clerk"/);
    const warnings = service
      .stdout()
      .split('\n')
      .filter((line) => line.includes('Not set: CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY'));
    expect(warnings).toHaveLength(1);
    expect(service.stdout()).not.toContain('"url":"/health/ready"');
  } finally {
    await service.stop();
  }
});

describe('shutdown', () => {
  const bed = ClerkTestBed.use('startup_shutdown', {}, { process: true });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const user = bed.putClerkUser();
    bed.clerk.delayMs = 1_500;
    const inFlight = bed.getMe(bed.tokenFor(user.id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    bed.service.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.profile.id).toBe(user.id);
    expect(await bed.service.exited).toBe(0);
    await expect(request(`${bed.url}/health/live`)).rejects.toThrow();
    const messages = bed.service.logLines().map((line) => String(line.msg));
    const begins = messages.findIndex((msg) => msg.startsWith('Shutting down on SIGTERM'));
    const ends = messages.findIndex((msg) => /^Shut down in \d+ ms/.test(msg));
    expect(begins).toBeGreaterThanOrEqual(0);
    expect(ends).toBeGreaterThan(begins);
  });
});
