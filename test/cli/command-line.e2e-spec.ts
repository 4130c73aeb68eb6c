import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Every command, called wrongly, says what was wrong in one line, then its usage, and exits with
 * 2: never a stack trace. Messages about a missing .env point to npm run dev:setup.
 */
const dist = resolve(__dirname, '..', '..', 'dist', 'src', 'cli');
let cwd: string;

beforeAll(() => {
  if (!existsSync(join(dist, 'webhook-send.js')))
    throw new Error(`${dist} is missing: run \`npm test\`, which builds first`);
  cwd = mkdtempSync(join(tmpdir(), 'command-line-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** The built command in a directory with no .env, as `npm run <command> -- <args>` runs it. */
function run(command: string, args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [join(dist, `${command}.js`), ...args], {
    cwd,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  return { status, stdout, stderr, firstLine: stderr.split('\n')[0] };
}

const COMMANDS: [string, string[]][] = [
  ['webhook-send', ['user.created']],
  ['dev-token', ['--user-id', 'user_local_1']],
  ['dev-setup', []],
  ['users-backfill', ['--dry-run']],
];

describe.each(COMMANDS)('%s', (command, valid) => {
  it.each([
    [['--bogus'], 'Unknown option --bogus'],
    [['--userid', 'user_1'], 'Unknown option --userid'],
    [['--help=yes'], '--help takes no value'],
  ])('%j: one line naming it, the usage, exit 2, no stack', (args, problem) => {
    const result = run(command, [...valid, ...args]);
    expect(result).toMatchObject({ status: 2, firstLine: problem, stdout: '' });
    expect(result.stderr).toMatch(/\n\nUsage: npm run/);
    expect(result.stderr).not.toMatch(/\n\s+at |node:internal|ERR_PARSE_ARGS/);
  });
});

it.each([
  ['webhook-send', ['user.created', '--user-id'], '--user-id needs a value'],
  ['webhook-send', ['user.created', '--user-id', '--email', 'a@example.com'], '--user-id needs a value'],
  ['dev-token', ['--user-id'], '--user-id needs a value'],
  ['users-backfill', ['--page-size'], '--page-size needs a value'],
  ['dev-setup', ['extra'], 'Unexpected argument "extra"'],
  ['webhook-send', [], 'Which event type? Give one, e.g. user.created'],
  ['webhook-send', ['user.created', 'user.updated'], 'One event type at a time, not user.created user.updated'],
])('%s %j: %s', (command, args, problem) => {
  const result = run(command, args);
  expect(result).toMatchObject({ status: 2, firstLine: problem });
  expect(result.stderr).toContain('Usage: npm run');
});

it('webhook:send names an unknown event type and lists the known ones', () => {
  const result = run('webhook-send', ['user.create']);
  expect(result.status).toBe(2);
  expect(result.firstLine).toBe(
    'Unknown event type "user.create". Known types: user.created, user.updated, user.deleted, organization.created, ' +
      'organization.updated, organization.deleted, organizationMembership.created, organizationMembership.updated, ' +
      'organizationMembership.deleted',
  );
});

it('with no .env, webhook:send and dev:token point to npm run dev:setup', () => {
  expect(run('webhook-send', ['user.created'])).toMatchObject({
    status: 2,
    stderr: expect.stringMatching(/^No \.env here: run npm run dev:setup first/),
  });
  expect(run('dev-token', ['--user-id', 'user_local_1'])).toMatchObject({
    status: 2,
    stderr: expect.stringMatching(/run npm run dev:setup first/),
  });
});

it('dev:token with its key made but no .env points to npm run dev:setup, not to clearing CLERK_JWT_KEY', () => {
  const dir = mkdtempSync(join(tmpdir(), 'command-line-key-'));
  try {
    expect(
      spawnSync(process.execPath, [join(dist, 'dev-setup.js')], { cwd: dir, env: { PATH: process.env.PATH } }).status,
    ).toBe(0);
    rmSync(join(dir, '.env'));
    const result = spawnSync(process.execPath, [join(dist, 'dev-token.js'), '--user-id', 'user_local_1'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'No .env here: run npm run dev:setup first (it sets CLERK_JWT_KEY to the public half of the local session key).',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("dev:token --help states Clerk's 5 s clock skew", () => {
  const result = spawnSync(process.execPath, [join(dist, 'dev-token.js'), '--help'], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/Clerk's 5 s clock skew: a token is still\s+accepted up to 5 s after it expires/);
});
