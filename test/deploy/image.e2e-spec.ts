import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { dropDatabase, uniqueDatabaseUri } from '../support/database';
import { buildImageLayout, ImageLayout } from '../support/dockerfile';
import { clerkUser, newWebhookSecret } from '../support/payloads';

/**
 * The Docker image as users run it, without a Docker engine: its file layout rebuilt the way the
 * Dockerfile's stages build it (npm ci, the build, the prune, each COPY), then the service's CMD,
 * its HEALTHCHECK and the README's commands run inside that layout with the image's ENV.
 */
const repository = resolve(__dirname, '..', '..');
let layout: ImageLayout;
let app: string;

beforeAll(() => {
  layout = buildImageLayout(repository);
  app = join(layout.root, layout.workdir);
}, 600_000);

afterAll(() => {
  if (layout) rmSync(resolve(layout.root, '..'), { recursive: true, force: true });
});

/** The image's ENV, and these variables: nothing else of this machine's environment but PATH and HOME. */
const imageEnv = (env: Record<string, string>): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? process.env.USERPROFILE ?? '',
  ...layout.env,
  ...env,
});

/** `npm …` as the image runs it (with the npm that runs these tests when there is one), to its end. */
function npm(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const cli = process.env.npm_execpath;
  const [command, argv] = cli && /\.c?js$/.test(cli) ? [process.execPath, [cli, ...args]] : ['npm', args];
  const child = spawn(command, argv, {
    cwd: app,
    env: imageEnv(env),
    shell: command === 'npm' && process.platform === 'win32',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.on('close', (status) => {
      clearTimeout(killer);
      done({ status, stdout, stderr });
    }),
  );
}

/** Every path in the layout, relative to its root. */
function allPaths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return [relative(layout.root, path), ...(entry.isDirectory() ? allPaths(path) : [])];
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const clerkSecrets = { CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret(), CLERK_SECRET_KEY: 'sk_test_image' };

describe('the image holds only what the service and its commands need', () => {
  it('no benchmarks, no tests, no sources, no MongoDB', () => {
    const paths = allPaths(layout.root).map((path) => path.split(/[\\/]/));
    // Packages ship folders of their own named test; ours are what must not be there.
    const ours = paths.filter((parts) => !parts.includes('node_modules'));
    expect(ours.filter((parts) => parts.includes('bench') || parts.includes('test'))).toEqual([]);
    expect(paths.filter((parts) => /^mongod(\.exe)?$/.test(parts.at(-1)!))).toEqual([]);
    // (TypeScript itself is there: @nestjs/swagger depends on it.)
    for (const absent of ['src', 'tsconfig.json', 'node_modules/mongodb-memory-server'])
      expect(existsSync(join(app, absent))).toBe(false);
    expect(existsSync(join(app, layout.cmd.at(-1)!))).toBe(true);
  });
});

describe('the commands run in the image', () => {
  it.each([['users:backfill'], ['webhook:send']])('npm run %s -- --help', async (command) => {
    const run = await npm(['run', '-s', command, '--', '--help'], {});
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Usage: npm run ${command}`);
  });

  it('npm run users:backfill -- --dry-run reads Clerk and writes nothing', async () => {
    const clerk = await new ClerkStandIn().start();
    const dbUri = uniqueDatabaseUri('image_backfill');
    try {
      clerk.putUser(clerkUser({}));
      const run = await npm(['run', '-s', 'users:backfill', '--', '--dry-run'], {
        ...clerkSecrets,
        MONGODB_URI: dbUri,
        CLERK_API_URL: clerk.url,
      });
      expect(run.stderr).not.toMatch(/Cannot find module|Error:/);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Dry run done: 1 users from Clerk; created 1,');
      expect(clerk.calls.listUsers).toBeGreaterThan(0);
    } finally {
      await clerk.stop();
      await dropDatabase(dbUri);
    }
  });
});

describe("the image's start", () => {
  it('NODE_ENV=production without MONGODB_URI stops with one clear message', () => {
    const [command, ...args] = layout.cmd;
    const run = spawnSync(command === 'node' ? process.execPath : command, args, {
      cwd: app,
      env: imageEnv(clerkSecrets),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'Invalid configuration (MONGODB_URI):\n' +
        '  - MONGODB_URI is required when NODE_ENV=production: the embedded MongoDB is for development and tests only',
    );
  });

  it('serves, passes its HEALTHCHECK and stops cleanly on SIGTERM', async () => {
    const dbUri = uniqueDatabaseUri('image_start');
    const port = String(await freePort());
    const [command, ...args] = layout.cmd;
    const env = imageEnv({ ...clerkSecrets, MONGODB_URI: dbUri, PORT: port, HOST: '127.0.0.1' });
    const service = spawn(command === 'node' ? process.execPath : command, args, { cwd: app, env });
    let output = '';
    service.stdout.on('data', (chunk) => (output += chunk));
    service.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((done) => service.on('exit', done));
    try {
      for (let waited = 0; !output.includes('Listening on'); waited += 100) {
        if (waited > 20_000 || service.exitCode !== null) throw new Error(`the service did not start:\n${output}`);
        await new Promise((done) => setTimeout(done, 100));
      }
      const [check, ...checkArgs] = layout.healthcheck;
      const health = spawnSync(check === 'node' ? process.execPath : check, checkArgs, { env, encoding: 'utf8' });
      expect(health.status).toBe(0);
      service.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      service.kill('SIGKILL');
      await dropDatabase(dbUri);
    }
  });
});
