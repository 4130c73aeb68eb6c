import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryCgroup } from './cgroup';
import { freePort, waitForHttp } from './processes';

/** A process the benchmark drives: the service as deployed, or a bare baseline. */
export interface Target {
  name: string;
  url: string;
  dbUri: string;
  process: ChildProcess;
  cgroup?: MemoryCgroup;
}

/** What the targets share: the webhook secret, the session tokens' key and the frontend's origin. */
export interface Secrets {
  webhookSecret: string;
  jwtKey: string;
  frontendOrigin: string;
}

export interface StartOptions {
  name: string;
  /** The checkout whose build runs (its dist/ and scripts/start.cjs). */
  root: string;
  dbUri: string;
  secrets: Secrets;
  /** BENCH_CPU_PROF: a V8 CPU profile into this folder at exit. */
  cpuProfDir?: string;
  /** Inside this memory limit. */
  cgroup?: MemoryCgroup;
  /** Pinned to these CPUs (taskset's list, e.g. "0"). */
  cpus?: string;
  /** More V8 flags (BENCH_NODE_FLAGS). */
  extraFlags?: string[];
  /** More environment (the service's OTEL_* variables under BENCH_OTEL). */
  env?: Record<string, string>;
}

/** The Dockerfile's malloc setting, given to every target alike. */
export const DEPLOYED_ENV = { MALLOC_ARENA_MAX: '2' };

/**
 * npm start's Node flags outside a memory limit: scripts/start.cjs's, or, in a build older than
 * that launcher, those on the `start` script's command line.
 */
export function startFlags(root: string): string[] {
  const launcher = join(root, 'scripts', 'start.cjs');
  if (existsSync(launcher)) return (require(launcher) as { nodeFlags: (limit: number) => string[] }).nodeFlags(0);
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.split(' ').filter((word) => word.startsWith('--'));
}

/** `command` as spawned: pinned with taskset, and moved into the cgroup first (each step execs, one pid). */
function wrapped(command: string[], { cgroup, cpus }: StartOptions): string[] {
  const pinned = cpus ? ['taskset', '-c', cpus, ...command] : command;
  return cgroup ? ['/bin/sh', '-c', cgroup.shellPrefix, 'sh', ...pinned] : pinned;
}

const profileFlags = (options: StartOptions) =>
  options.cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, `--cpu-prof-name=${options.name}.cpuprofile`]
    : [];

/**
 * The service as users start it: `node scripts/start.cjs` (npm start's command and the image's
 * CMD) in production mode, which adds its own flags, the heap's limit included, from the memory
 * limit it finds. Extra flags go through NODE_OPTIONS, as a user would give them.
 */
export async function startService(options: StartOptions): Promise<Target> {
  const { root, secrets } = options;
  const port = await freePort();
  const launcher = join(root, 'scripts', 'start.cjs');
  const main = join(root, 'dist', 'src', 'main.js');
  const extra = [...(options.extraFlags ?? []), ...profileFlags(options)];
  const command = existsSync(launcher)
    ? [process.execPath, launcher]
    : [process.execPath, ...startFlags(root), ...extra, main];
  const [file, ...args] = wrapped(command, options);
  const child = spawn(file, args, {
    cwd: tmpdir(),
    env: {
      ...DEPLOYED_ENV,
      PATH: process.env.PATH ?? '',
      ...(existsSync(launcher) && extra.length ? { NODE_OPTIONS: extra.join(' ') } : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: options.dbUri,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      CLERK_WEBHOOK_SIGNING_SECRET: secrets.webhookSecret,
      CLERK_JWT_KEY: secrets.jwtKey,
      CLERK_SECRET_KEY: 'sk_test_bench',
      CLERK_AUTHORIZED_PARTIES: secrets.frontendOrigin,
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health/live`, child);
  return { name: options.name, url, dbUri: options.dbUri, process: child, cgroup: options.cgroup };
}

/** The bare handler (bench/baseline.ts), verifying tokens with node:crypto or with the SDK. */
export async function startBaseline(options: StartOptions & { verify: 'crypto' | 'sdk' }): Promise<Target> {
  const { secrets } = options;
  const port = await freePort();
  const flags = [...startFlags(options.root), ...(options.extraFlags ?? []), ...profileFlags(options)];
  const [file, ...args] = wrapped([process.execPath, ...flags, join(__dirname, 'baseline.js')], options);
  const child = spawn(file, args, {
    env: {
      ...DEPLOYED_ENV,
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: options.dbUri,
      WEBHOOK_SECRET: secrets.webhookSecret,
      JWT_KEY: secrets.jwtKey,
      AUTHORIZED_PARTIES: secrets.frontendOrigin,
      BASELINE_VERIFY: options.verify,
    },
    stdio: 'inherit',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`, child);
  return { name: options.name, url, dbUri: options.dbUri, process: child };
}

/** SIGTERM to each, and their exits (so that --cpu-prof writes its profiles before the database goes). */
export async function stopAll(targets: Target[]): Promise<void> {
  const exited = (child: ChildProcess) =>
    new Promise((done) => (child.exitCode !== null || child.signalCode ? done(null) : child.once('exit', done)));
  await Promise.all(targets.map((target) => (target.process.kill('SIGTERM'), exited(target.process))));
  for (const target of targets) target.cgroup?.remove();
}
