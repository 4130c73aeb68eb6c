import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { request } from '../support/http';
import { dropDatabase, uniqueDatabaseUri } from '../support/database';

/**
 * The README's one-minute path without a Clerk account, as a newcomer runs it in a fresh clone:
 * dev:setup, start, webhook:send, dev:token, then GET and PATCH /me with that token.
 */
jest.setTimeout(240_000);
const repository = resolve(__dirname, '..', '..');
const clone = mkdtempSync(join(tmpdir(), 'dev-loop-'));
const dbUri = uniqueDatabaseUri('dev_loop');
let port = 0;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm …` in the clone (with the npm that runs these tests when there is one), as a newcomer's shell has it. */
function spawnNpm(args: string[], env: Record<string, string> = {}, detached = false) {
  const cli = process.env.npm_execpath;
  const [command, argv] = cli && /\.c?js$/.test(cli) ? [process.execPath, [cli, ...args]] : ['npm', args];
  return spawn(command, argv, {
    cwd: clone,
    // No NODE_ENV, no Clerk variables: only the database and port of this test.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MONGODB_URI: dbUri, PORT: String(port), ...env },
    shell: command === 'npm' && process.platform === 'win32',
    // A group of its own, so that the service npm starts stops with it.
    detached: detached && process.platform !== 'win32',
  });
}

/** `npm …` to its end. */
function npm(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawnNpm(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

beforeAll(async () => {
  // The files a clone has (git's, and what is not committed yet), and the dependencies `npm install` brings.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repository,
    encoding: 'utf8',
  }).split('\0');
  for (const file of files.filter(Boolean)) {
    // Files only (a worktree's node_modules may be a link git does not ignore), and none deleted yet.
    if (file === 'node_modules' || !statSync(join(repository, file), { throwIfNoEntry: false })?.isFile()) continue;
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(repository, file), join(clone, file));
  }
  symlinkSync(join(repository, 'node_modules'), join(clone, 'node_modules'), 'junction');
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
  await new Promise((done) => server.close(done));
});

afterAll(async () => {
  rmSync(clone, { recursive: true, force: true });
  await dropDatabase(dbUri);
});

it('dev:setup, start, webhook:send, dev:token: GET /me answers 200, PATCH /me changes the colour, organizations keep their names', async () => {
  const setup = await npm(['run', '-s', 'dev:setup']);
  expect(setup.stderr).toBe('');
  expect(setup.status).toBe(0);
  const env = readFileSync(join(clone, '.env'), 'utf8');
  expect(env).toMatch(/^CLERK_WEBHOOK_SIGNING_SECRET=whsec_[A-Za-z0-9+/]{32}$/m);
  expect(env).toMatch(/^CLERK_JWT_KEY="-----BEGIN PUBLIC KEY-----\\n[^"]+\\n-----END PUBLIC KEY-----"$/m);
  expect(existsSync(join(clone, '.data', 'dev-session-key.pem'))).toBe(true);

  // Run again, it keeps what is set.
  const again = await npm(['run', '-s', 'dev:setup']);
  expect(again.status).toBe(0);
  expect(again.stdout).toContain('Kept CLERK_WEBHOOK_SIGNING_SECRET');
  expect(again.stdout).toContain('Kept CLERK_JWT_KEY');
  expect(readFileSync(join(clone, '.env'), 'utf8')).toBe(env);

  const service = spawnNpm(['start'], {}, true);
  let output = '';
  service.stdout.on('data', (chunk) => (output += chunk));
  service.stderr.on('data', (chunk) => (output += chunk));
  try {
    for (let waited = 0; !output.includes('Listening on'); waited += 200) {
      if (waited > 180_000 || service.exitCode !== null) throw new Error(`npm start did not listen:\n${output}`);
      await new Promise((done) => setTimeout(done, 200));
    }

    const sent = await npm([
      'run',
      '-s',
      'webhook:send',
      '--',
      'user.created',
      '--user-id',
      'user_local_1',
      '--email',
      'ada@example.com',
    ]);
    expect(sent.stdout).toContain('200 {"received":true,"outcome":"applied"}');
    expect(sent.status).toBe(0);

    const minted = await npm(['run', '-s', 'dev:token', '--', '--user-id', 'user_local_1']);
    expect(minted.status).toBe(0);
    const token = minted.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'user_local_1', v: 2, azp: 'http://localhost:5173' });
    expect(claims.sid).toMatch(/^sess_/);

    const url = `http://127.0.0.1:${port}/me`;
    const me = await request(url, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: 'user_local_1', profile: { email: 'ada@example.com' } });
    const color = me.body.profile.favoriteColor === 'RED' ? 'BLUE' : 'RED';

    const patched = await request(url, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ favoriteColor: color }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.profile.favoriteColor).toBe(color);

    // The organization samples of docs/operations.md: /me lists the organization under the name it was given.
    for (const sample of [
      ['organization.created', '--org-id', 'org_local_1', '--name', 'Acme'],
      ['organizationMembership.created', '--org-id', 'org_local_1', '--user-id', 'user_local_1', '--role', 'org:admin'],
    ]) {
      expect((await npm(['run', '-s', 'webhook:send', '--', ...sample])).stdout).toContain('"outcome":"applied"');
    }
    const withOrganization = await request(url, { headers: { authorization: `Bearer ${token}` } });
    expect(withOrganization.body.organizations).toEqual([
      expect.objectContaining({ id: 'org_local_1', name: 'Acme', role: 'org:admin' }),
    ]);
    expect((await request(url, { headers: { authorization: `Bearer ${token}` } })).body.profile.favoriteColor).toBe(
      color,
    );
  } finally {
    if (process.platform === 'win32') service.kill('SIGKILL');
    else process.kill(-service.pid!, 'SIGKILL');
  }
});

it.each([['dev:setup'], ['dev:token']])('%s refuses under production rules', async (command) => {
  const args = command === 'dev:token' ? ['--', '--user-id', 'user_local_1'] : [];
  const run = await npm(['run', '-s', command, ...args], {
    NODE_ENV: 'production',
    CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    CLERK_SECRET_KEY: 'sk_live_abc',
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain(`npm run ${command} is for development only`);
});
