import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A Node.js older than the supported one is told so by npm install, at once, in one error naming
 * the required and the actual version (without .npmrc's engine-strict: 72 warning lines, and an
 * install that goes on).
 */
const root = resolve(__dirname, '../..');
const npmCli =
  process.env.npm_execpath && /\.c?js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };

/** `npm install --dry-run` in a copy of the project's npm files, with `node`, and the manifest changed by `edit`. */
function dryInstall(node: string, edit: (pkg: Record<string, any>) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'node-engine-'));
  try {
    for (const file of ['package-lock.json', '.npmrc']) copyFileSync(join(root, file), join(dir, file));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    edit(pkg);
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    const [command, args] = npmCli ? [node, [npmCli]] : ['npm', []];
    const run = spawnSync(command, [...args, 'install', '--dry-run', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: dir,
      env: { ...process.env, npm_config_engine_strict: undefined },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('the supported versions are those of .nvmrc and the README', () => {
  expect(manifest.engines.node).toBe('>=22.12.0');
  expect(readFileSync(join(root, '.nvmrc'), 'utf8').trim()).toMatch(/^24(\.|$)/);
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('Node.js 24 (`.nvmrc`; 22.12 or newer works;');
});

it('npm install on a Node.js older than "engines" stops at once with one error naming both versions', () => {
  const { status, output } = dryInstall(process.execPath, (pkg) => (pkg.engines = { node: '>=99.0.0' }));
  expect(status).not.toBe(0);
  expect(output).toContain('Required: {"node":">=99.0.0"}');
  expect(output).toContain(`Actual:   {"node":"${process.version}"`);
  expect(output).not.toMatch(/npm warn EBADENGINE|^add /m);
  expect(output.trim().split('\n').length).toBeLessThanOrEqual(8);
});

it('npm install on the supported Node.js is not refused', () => {
  const { status, output } = dryInstall(process.execPath);
  expect(output).not.toContain('EBADENGINE');
  expect(status).toBe(0);
});

/** The machine's own older Node.js, where there is one (Debian's is 20). */
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  return version && /^v(\d+)\./.test(version) && Number(/^v(\d+)/.exec(version)![1]) < 22;
});

(oldNode && npmCli ? it : it.skip)(
  `on ${oldNode ?? 'an older Node.js'} itself, npm install refuses in one error`,
  () => {
    const { status, output } = dryInstall(oldNode!);
    expect(status).not.toBe(0);
    expect(output).toContain('Required: {"node":">=22.12.0"}');
    expect(output).not.toContain('npm warn EBADENGINE');
  },
);
