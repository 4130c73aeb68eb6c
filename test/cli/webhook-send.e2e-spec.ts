import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from '../support/app';
import { storedDocument, storedUser as storedUserIn } from '../support/database';
import { newUserId, newWebhookSecret } from '../support/payloads';

/** `npm run webhook:send` as a developer runs it against a running service (the built CLI). */
const CLI = resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'webhook-send.js');
const secret = newWebhookSecret();
let t: TestApp;
let cwd: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the tests with \`npm test\`, which builds first`);
  cwd = mkdtempSync(join(tmpdir(), 'webhook-send-'));
  t = await startTestApp('webhook_send', { CLERK_WEBHOOK_SIGNING_SECRET: secret });
});
afterAll(async () => {
  await t?.close();
  rmSync(cwd, { recursive: true, force: true });
});

async function send(args: string[], env: Record<string, string> = { CLERK_WEBHOOK_SIGNING_SECRET: secret }) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const storedUser = (id: string) => storedUserIn(t.dbUri, id);

it('sends signed created, updated and deleted events that the service applies', async () => {
  const id = newUserId();
  const url = `${t.url}/webhooks/clerk`;
  const created = await send(['user.created', '--user-id', id, '--email', 'dev@example.com', '--url', url]);
  expect(created.code).toBe(0);
  expect(created.stdout).toContain(`user.created for ${id}`);
  expect(created.stdout).toContain('200 {"received":true,"outcome":"applied"}');
  expect(await storedUser(id)).toMatchObject({ email: 'dev@example.com' });

  await new Promise((resolve) => setTimeout(resolve, 5)); // a later updated_at
  const updated = await send(['user.updated', '--user-id', id, '--email', 'new@example.com', '--url', url]);
  expect(updated.stdout).toContain('"outcome":"applied"');
  expect(await storedUser(id)).toMatchObject({ email: 'new@example.com' });

  const deleted = await send(['user.deleted', '--user-id', id, '--url', url]);
  expect(deleted.stdout).toContain('"outcome":"applied"');
  const tombstone = await storedUser(id);
  expect(tombstone).toMatchObject({ deletedAt: expect.any(Date) });
  expect(tombstone).not.toHaveProperty('email');
});

it('a wrong secret is refused by the service and the command exits non-zero', async () => {
  const result = await send(['user.created', '--url', `${t.url}/webhooks/clerk`], {
    CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret(),
  });
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('400 ');
});

it('explains its usage and a missing secret', async () => {
  expect(await send(['user.exploded'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('Usage: npm run webhook:send'),
  });
  expect(await send(['user.created'], {})).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('run npm run dev:setup first'),
  });
});

it('a sample changes only what its options say: user.updated --email keeps the names and created_at sent before', async () => {
  const url = `${t.url}/webhooks/clerk`;
  const id = newUserId();
  await send(['user.created', '--user-id', id, '--first-name', 'Grace', '--last-name', 'Hopper', '--url', url]);
  const created = await storedUser(id);
  expect(created).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', email: `${id}@example.com` });
  await new Promise((resolve) => setTimeout(resolve, 5)); // a clock that moved on
  const updated = await send(['user.updated', '--user-id', id, '--email', 'grace@navy.example', '--url', url]);
  expect(updated.stdout).toContain('"outcome":"applied"');
  const stored = await storedUser(id);
  expect(stored).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example' });
  expect(stored!.clerkCreatedAt).toEqual(created!.clerkCreatedAt);
  // The same second again: still a newer version than the one sent before, so it applies.
  const renamed = await send(['user.updated', '--user-id', id, '--last-name', 'Murray', '--url', url]);
  expect(renamed.stdout).toContain('"outcome":"applied"');
  expect(await storedUser(id)).toMatchObject({ firstName: 'Grace', lastName: 'Murray', email: 'grace@navy.example' });
});

it.each(['localhost:3300', 'ftp://localhost/webhooks/clerk', 'http//127.0.0.1:3000'])(
  '--url %s is called invalid, with the expected form, before anything is sent',
  async (url) => {
    const result = await send(['user.created', '--url', url]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `--url ${url} is not a valid URL: give the full address, e.g. --url http://127.0.0.1:3000/webhooks/clerk`,
    );
  },
);

it('sends organization and membership samples that the service applies', async () => {
  const url = `${t.url}/webhooks/clerk`;
  const orgId = `org_${newUserId().slice(5)}`;
  const userId = newUserId();
  const org = await send(['organization.created', '--org-id', orgId, '--name', 'Acme Labs', '--url', url]);
  expect(org.stdout).toContain(`organization.created for ${orgId}`);
  expect(org.stdout).toContain('"outcome":"applied"');
  const joined = await send([
    'organizationMembership.created',
    '--org-id',
    orgId,
    '--user-id',
    userId,
    '--role',
    'org:admin',
    '--url',
    url,
  ]);
  expect(joined.stdout).toContain('"outcome":"applied"');
  const membershipId = /organizationMembership\.created for (orgmem_\w+)/.exec(joined.stdout)![1];
  const left = await send(['organizationMembership.deleted', '--org-id', orgId, '--user-id', userId, '--url', url]);
  expect(left.stdout).toContain(`organizationMembership.deleted for ${membershipId}`);
  expect(left.stdout).toContain('"outcome":"applied"');
  const deleted = await send(['organization.deleted', '--org-id', orgId, '--url', url]);
  expect(deleted.stdout).toContain('"outcome":"applied"');
});

it("the documented sample sequence keeps the organization's name and the user's names", async () => {
  const url = `${t.url}/webhooks/clerk`;
  const orgId = `org_${newUserId().slice(5)}`;
  const userId = newUserId();
  const steps = [
    ['user.created', '--user-id', userId, '--first-name', 'Grace', '--last-name', 'Hopper'],
    ['organization.created', '--org-id', orgId, '--name', 'Acme'],
    ['organizationMembership.created', '--org-id', orgId, '--user-id', userId, '--role', 'org:admin'],
  ];
  for (const step of steps) expect((await send([...step, '--url', url])).stdout).toContain('"outcome":"applied"');
  expect(await storedUser(userId)).toMatchObject({ firstName: 'Grace', lastName: 'Hopper' });
  const organization = await storedDocument(t.dbUri, 'organizations', orgId);
  expect(organization).toMatchObject({ name: 'Acme' });
});
