import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { clerkUser } from '../src/samples/clerk-user';
import { MONGO_DRIVER_OPTIONS } from '../src/database/mongo-driver';
import { ClerkStandIn } from '../test/support/clerk-stand-in';

/**
 * `npm run users:backfill` at scale against the Clerk stand-in with a realistic latency: a first
 * run that copies BENCH_USERS users, then BENCH_REMOVED of them deleted in Clerk and a second run
 * that reconciles. Prints the time, the Backend API calls and their rate for each run.
 * MONGODB_URI is the database (it should be empty); a production-style key (sk_live_) gets
 * Clerk's production rate limit. Offsets past BENCH_DEEP_OFFSET (default 10,000) fail as Clerk's
 * do, a 504 after BENCH_DEEP_OFFSET_DELAY_MS (default 5,000): users are listed by cursor.
 */
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const REMOVED = Number(process.env.BENCH_REMOVED ?? 100);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const KEY = process.env.BENCH_CLERK_KEY ?? 'sk_live_bench';
const PAGE_SIZE = process.env.BENCH_PAGE_SIZE ?? '500';
const CLI = resolve(__dirname, '..', 'src', 'cli', 'users-backfill.js');
/** `direct`: the users are written straight into the database instead of by a first run (slow servers). */
const SEED = process.env.BENCH_SEED ?? 'backfill';
const DEEP_OFFSET = Number(process.env.BENCH_DEEP_OFFSET ?? 10_000);
const DEEP_OFFSET_DELAY_MS = Number(process.env.BENCH_DEEP_OFFSET_DELAY_MS ?? 5_000);

/** The users as a backfill would have stored them, written in bulk. */
async function seedDirectly(uri: string, users: ReturnType<typeof clerkUser>[]): Promise<void> {
  const client = await MongoClient.connect(uri, MONGO_DRIVER_OPTIONS);
  try {
    const now = new Date(Date.now() - 60_000);
    const documents = users.map((user) => ({
      _id: user.id,
      email: `${user.id}@example.test`,
      firstName: user.first_name,
      lastName: user.last_name,
      favoriteColor: 'RED',
      clerkUpdatedAt: user.updated_at,
      writtenBy: 'seed',
      deletedAt: null,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < documents.length; i += 1_000) {
      await client
        .db()
        .collection<{ _id: string }>('users')
        .insertMany(documents.slice(i, i + 1_000));
    }
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const { MONGODB_URI } = process.env;
  if (!MONGODB_URI) throw new Error('Set MONGODB_URI to an empty database');
  const clerk = await new ClerkStandIn().start();
  clerk.delayMs = LATENCY_MS;
  clerk.deepOffsetThreshold = DEEP_OFFSET;
  clerk.deepOffsetDelayMs = DEEP_OFFSET_DELAY_MS;
  // The tests check every answer against Clerk's description; here the service is measured, not the stand-in.
  clerk.checkAnswers = false;
  const users = Array.from({ length: USERS }, (_, i) => clerkUser({ createdAt: 1_700_000_000_000 + i }));
  for (const user of users) clerk.putUser(user);
  const cwd = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
  const run = async (label: string) => {
    const calls = clerk.calls.total;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, '--page-size', PAGE_SIZE, '--only', 'users'], {
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
    if (SEED === 'direct') await seedDirectly(MONGODB_URI, users);
    else await run(`copy ${USERS} users`);
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
