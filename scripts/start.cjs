#!/usr/bin/env node
// `npm start` and the image's CMD: the compiled service, with the Node flags it is measured with
// and, inside a memory limit (a container's cgroup), a heap sized to fit it. The heap's limit is
// fixed when V8 starts, so this replaces itself (execve: the same process, which gets the
// signals) by `node <flags> dist/src/main.js`. Outside production it first builds when the
// sources are newer than the build; in production it never compiles (the compiler alone needs
// more memory than a small container has): `npm run build` is the build step.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');
const MiB = 1024 * 1024;

/**
 * V8's young generation capped at 3 x 4 MiB instead of growing to 3 x 32 MiB under load, for the
 * same throughput; a full collection once the heap has doubled since the last one, instead of
 * letting garbage grow it to up to four times what is live (docs/performance.md).
 */
const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=100'];

/**
 * The old space's limit for a memory limit, in MiB, or undefined when there is none: three
 * quarters of it. V8's own default for a 256 MiB limit is a heap of about 256 MiB, which the
 * cgroup kills before V8 collects; with 192 MiB the service peaked at 165-187 MiB in 256 under
 * every workload's full load, and half the limit (128) cost GET /me 16% more CPU in collections.
 */
function oldSpaceMiB(limitBytes) {
  if (!limitBytes || limitBytes >= require('node:os').totalmem()) return undefined;
  return Math.max(64, Math.floor((limitBytes / MiB) * 0.75));
}

/** npm start's Node flags for this process's memory limit (none added when the heap is set already). */
function nodeFlags(limitBytes = process.constrainedMemory?.(), nodeOptions = process.env.NODE_OPTIONS ?? '') {
  const size = oldSpaceMiB(limitBytes);
  const setAlready = /--max-old-space-size\b/.test(nodeOptions);
  return size === undefined || setAlready ? NODE_FLAGS : [...NODE_FLAGS, `--max-old-space-size=${size}`];
}

module.exports = { nodeFlags };

if (require.main === module) {
  if (process.env.NODE_ENV !== 'production') {
    const status = require('./build-if-stale.cjs').buildIfStale();
    if (status !== 0) process.exit(status);
  }
  if (!existsSync(MAIN)) {
    process.stderr.write('No build: dist/src/main.js is missing; run `npm run build` first.\n');
    process.exit(1);
  }
  const argv = [process.execPath, ...nodeFlags(), MAIN, ...process.argv.slice(2)];
  if (typeof process.execve === 'function') process.execve(process.execPath, argv, process.env);
  // Where execve is missing (Windows): a child that gets the signals and whose exit is ours.
  const child = require('node:child_process').spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
}
