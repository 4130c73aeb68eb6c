import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from './support/http';
import { ClerkStandIn } from './support/clerk-stand-in';
import { dropDatabase, uniqueDatabaseUri } from './support/database';
import { createSigningKey, mintToken, sessionClaims } from './support/tokens';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from './support/webhooks';

/**
 * The built service as an operator runs it (`node dist/src/main.js`), from an empty directory
 * so that no .env is read. `npm test` builds first.
 */
const MAIN = resolve(__dirname, '..', 'dist', 'src', 'main.js');
let cwd: string;

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run the tests with \`npm test\`, which builds first`);
  cwd = mkdtempSync(join(tmpdir(), 'clerk-user-sync-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForOutput(runState: Run, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!pattern.test(runState.stdout())) {
    if (Date.now() - started > timeoutMs || runState.child.exitCode !== null) {
      throw new Error(`no ${pattern} in output:\n${runState.stdout()}\n${runState.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('bad configuration stops the start with one message', () => {
  it('names a bad PORT and a malformed webhook secret together, with no stack trace', async () => {
    const started = run({
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

  it('in production, names the missing Clerk variables', async () => {
    const started = run({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message).toMatch(
      /^Invalid configuration \(CLERK_WEBHOOK_SIGNING_SECRET, CLERK_SECRET_KEY\):\n {2}- .*\n {2}- .*$/,
    );
    expect(message).not.toMatch(/^\s+at /m);
  });

  it("no MONGODB_URI and no embedded MongoDB: our advice comes first, the embedded server's reason after", async () => {
    // A mongod binary that does not exist stands for a machine where MongoDB cannot be downloaded.
    const started = run({ MONGOMS_SYSTEM_BINARY: join(cwd, 'no-such-mongod') });
    expect(await started.exited).toBe(1);
    const [first, second] = started.stderr().trim().split('\n');
    expect(first).toBe('MONGODB_URI is not set and the embedded MongoDB (mongodb-memory-server) could not start.');
    expect(second).toMatch(
      /^Set MONGODB_URI to any running MongoDB, e\.g\. MONGODB_URI=mongodb:\/\/127\.0\.0\.1:27017\/\S+ npm start$/,
    );
    expect(started.stderr()).toMatch(/mongodb-memory-server said: .+/);
  });

  it('an unreachable database is one message with the password masked', async () => {
    const started = run({ MONGODB_URI: 'mongodb://app:hunter2@127.0.0.1:1/app?serverSelectionTimeoutMS=500' });
    expect(await started.exited).toBe(1);
    const message = started.stderr().trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Cannot connect to MongoDB at mongodb:\/\/app:\*\*\*\*@127\.0\.0\.1:1\/app/);
    expect(message).not.toContain('hunter2');
  });
});

it('in development starts without Clerk variables, warns once naming them, and leaves health checks out of the log', async () => {
  const dbUri = uniqueDatabaseUri('process_dev');
  const service = run({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: dbUri, LOG_LEVEL: 'info' });
  try {
    await waitForOutput(service, /Listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.stdout())![1];
    expect((await request(`${url}/health/ready`)).status).toBe(200);
    expect(
      await request(`${url}/webhooks/clerk`, {
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
    service.child.kill('SIGKILL');
    await dropDatabase(dbUri);
  }
});

describe('a running service', () => {
  const key = createSigningKey();
  const secret = newWebhookSecret();
  const clerk = new ClerkStandIn();
  let dbUri: string;
  let service: Run;
  let url: string;

  beforeAll(async () => {
    await clerk.start();
    dbUri = uniqueDatabaseUri('process');
    service = run({
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: dbUri,
      LOG_LEVEL: 'info',
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_API_URL: clerk.url,
    });
    await waitForOutput(service, /Listening on http:\/\/127\.0\.0\.1:\d+/);
    url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.stdout())![1];
  });
  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await clerk.stop();
    await dropDatabase(dbUri);
  });

  it('logs JSON lines, says which database it uses, and redacts credentials', async () => {
    const token = mintToken(key, sessionClaims('user_unknown_to_clerk'));
    await request(`${url}/me`, { headers: { authorization: `Bearer ${token}`, cookie: `__session=${token}` } });
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    await request(`${url}/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    await waitForOutput(service, /"url":"\/webhooks\/clerk"[\s\S]*"statusCode":200/);
    const lines = service.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(service.stdout()).toContain(`Database: ${dbUri} (MONGODB_URI)`);
    expect(service.stdout()).not.toContain(token);
    expect(service.stdout()).not.toContain(delivery.headers['svix-signature']);
    expect(service.stdout()).toContain('[redacted]');
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    clerk.delayMs = 1_500;
    const inFlight = request(`${url}/me`, {
      headers: { authorization: `Bearer ${mintToken(key, sessionClaims(user.id))}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    service.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.profile.id).toBe(user.id);
    expect(await service.exited).toBe(0);
    await expect(request(`${url}/health/live`)).rejects.toThrow();
  });
});
