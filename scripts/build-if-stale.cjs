#!/usr/bin/env node
// Compiles (incrementally) only when a source or build setting is newer than the last build, so
// that `npm run users:backfill` and `npm run webhook:send` start at once when nothing changed.
// Where there is no source tree (the Docker image ships dist/ alone) there is nothing to build.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const BUILD_INFO = join(root, 'dist', '.tsbuildinfo');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds when stale; the compiler's exit status (0 when nothing needed building). */
function buildIfStale() {
  if (!existsSync(join(root, 'src')) || !existsSync(join(root, 'tsconfig.build.json'))) return 0;
  const built = statSync(BUILD_INFO, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (Math.max(...INPUTS.map((input) => newestMtime(join(root, input)))) <= built) return 0;
  const tsc = require.resolve('typescript/bin/tsc');
  const { status } = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (status !== 0) return status ?? 1;
  // tsc leaves its build info untouched when no output changed (a checkout that only moved mtimes).
  const now = new Date();
  utimesSync(BUILD_INFO, now, now);
  return 0;
}

module.exports = { buildIfStale };

if (require.main === module) process.exitCode = buildIfStale();
