import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { clerkUser } from '../src/cli/clerk-sample';
import { ClerkStandIn } from '../test/support/clerk-stand-in';

/**
 * `npm run users:backfill` at scale against the Clerk stand-in with a realistic latency: a first
 * run that copies BENCH_USERS users, then BENCH_REMOVED of them deleted in Clerk and a second run
 * that reconciles. Prints the time, the Backend API calls and their rate for each run.
 * MONGODB_URI is the database (it should be empty); a production-style key (sk_live_) gets
 * Clerk's production rate limit.
 */
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const REMOVED = Number(process.env.BENCH_REMOVED ?? 100);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const KEY = process.env.BENCH_CLERK_KEY ?? 'sk_live_bench';
const CLI = resolve(__dirname, '..', 'src', 'cli', 'users-backfill.js');

async function main(): Promise<void> {
  const { MONGODB_URI } = process.env;
  if (!MONGODB_URI) throw new Error('Set MONGODB_URI to an empty database');
  const clerk = await new ClerkStandIn().start();
  clerk.delayMs = LATENCY_MS;
  for (let i = 0; i < USERS; i++) clerk.putUser(clerkUser({ createdAt: 1_700_000_000_000 + i }));
  const cwd = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
  const run = async (label: string) => {
    const calls = clerk.calls.total;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, '--page-size', '500', '--only', 'users'], {
      cwd,
      env: { PATH: process.env.PATH, MONGODB_URI, CLERK_SECRET_KEY: KEY, CLERK_API_URL: clerk.url },
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (Date.now() - started) / 1000;
    const requests = clerk.calls.total - calls;
    const summary = stdout.split('\n').find((line) => line.includes('done:'));
    console.log(
      `${label}: ${seconds.toFixed(1)} s, ${requests} Backend API calls (${(requests / seconds).toFixed(1)}/s)`,
    );
    console.log(`  ${summary}`);
  };
  try {
    await run(`copy ${USERS} users`);
    const ids = [...clerk.users.keys()];
    for (let i = 0; i < REMOVED; i++) clerk.users.delete(ids[Math.floor((i * ids.length) / REMOVED)]);
    await run(`reconcile, ${REMOVED} deleted in Clerk`);
  } finally {
    await clerk.stop();
  }
}

void main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
