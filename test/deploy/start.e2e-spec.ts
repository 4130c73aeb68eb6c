import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm start`'s launcher (scripts/start.cjs, the image's CMD too): it never compiles in
 * production, says in one line when there is no build, and starts the service in its own
 * process with npm start's flags and, inside a memory limit, an old space sized to fit it.
 */
const repository = resolve(__dirname, '..', '..');
const MiB = 1024 * 1024;
const { nodeFlags } = require(join(repository, 'scripts', 'start.cjs')) as {
  nodeFlags: (limitBytes?: number, nodeOptions?: string) => string[];
};
const NPM_START_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=100'];

let app: string;

/** A checkout with sources newer than any build, and, unless `built` is false, a dist/src/main.js that reports how it runs. */
function layout(built: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'start-launcher-'));
  cpSync(join(repository, 'scripts'), join(root, 'scripts'), { recursive: true });
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'main.ts'), 'this is not TypeScript the compiler would accept(');
  writeFileSync(join(root, 'tsconfig.build.json'), '{}');
  if (built) {
    mkdirSync(join(root, 'dist', 'src'), { recursive: true });
    writeFileSync(
      join(root, 'dist', 'src', 'main.js'),
      'console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, argv: process.argv.slice(2) }))',
    );
  }
  return root;
}

afterEach(() => rmSync(app, { recursive: true, force: true }));

const start = (command: string[], env: Record<string, string> = {}) =>
  spawnSync(command[0], command.slice(1), {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

it('in production without a build: one line, exit 1, and nothing compiled', () => {
  app = layout(false);
  const run = start([process.execPath, 'scripts/start.cjs']);
  expect(run.stderr).toBe('No build: dist/src/main.js is missing; run `npm run build` first.\n');
  expect(run.status).toBe(1);
  expect(spawnSync('ls', [app], { encoding: 'utf8' }).stdout).not.toContain('dist');
});

it("runs the build in the launcher's own process, with npm start's flags and the arguments", () => {
  app = layout(true);
  const run = start(['/bin/sh', '-c', 'echo $$; exec "$0" scripts/start.cjs --an-argument', process.execPath]);
  expect(run.status).toBe(0);
  const [shellPid, report] = run.stdout.trim().split('\n');
  const started = JSON.parse(report) as { pid: number; execArgv: string[]; argv: string[] };
  expect(started.pid).toBe(Number(shellPid));
  expect(started.execArgv).toEqual(NPM_START_FLAGS);
  expect(started.argv).toEqual(['--an-argument']);
});

it('sizes the old space to three quarters of a memory limit, and leaves a heap size the user gave alone', () => {
  expect(nodeFlags(256 * MiB, '')).toEqual([...NPM_START_FLAGS, '--max-old-space-size=192']);
  expect(nodeFlags(1024 * MiB, '')).toEqual([...NPM_START_FLAGS, '--max-old-space-size=768']);
  expect(nodeFlags(64 * MiB, '')).toEqual([...NPM_START_FLAGS, '--max-old-space-size=64']);
  expect(nodeFlags(256 * MiB, '--max-old-space-size=200')).toEqual(NPM_START_FLAGS);
  // No limit: libuv reports none (0), or one larger than the machine's memory (cgroup v1's "unlimited").
  expect(nodeFlags(0, '')).toEqual(NPM_START_FLAGS);
  expect(nodeFlags(2 ** 63, '')).toEqual(NPM_START_FLAGS);
});

const memoryCgroups = '/sys/fs/cgroup/memory';
const canLimit = (() => {
  try {
    mkdirSync(join(memoryCgroups, `start-probe-${process.pid}`));
    rmdirSync(join(memoryCgroups, `start-probe-${process.pid}`));
    return true;
  } catch {
    return false;
  }
})();

(canLimit ? it : it.skip)('inside a real 256 MiB memory limit (a cgroup), the service gets a 192 MiB old space', () => {
  app = layout(true);
  const group = join(memoryCgroups, `start-${process.pid}`);
  mkdirSync(group);
  try {
    writeFileSync(join(group, 'memory.limit_in_bytes'), String(256 * MiB));
    const inside = `echo $$ > ${join(group, 'cgroup.procs')} && exec "$0" scripts/start.cjs`;
    const run = start(['/bin/sh', '-c', inside, process.execPath]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { execArgv: string[] }).execArgv).toContain('--max-old-space-size=192');
  } finally {
    rmdirSync(group);
  }
});
