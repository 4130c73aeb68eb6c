import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BackfillService, UserSyncResult } from '../backfill/backfill.service';
import { BackfillError } from '../backfill/clerk-retries';
import { DatabaseStartError } from '../database/database.service';
import { BackfillProgressBars, summaryLines } from './backfill-progress';
import { CliModule } from './cli.module';
import { fail, loadCommandConfig, parseCommandArgs } from './command';

const USAGE = `Usage: npm run users:backfill [-- --dry-run] [-- --page-size N] [-- --only users|organizations]
       npm run users:backfill -- --user user_... [--user user_...] [--dry-run]

Copies every user, organization and membership from Clerk's Backend API (CLERK_SECRET_KEY) into
the database (MONGODB_URI), oldest first, through the same rules as the webhooks: newer versions
win, deleted objects stay deleted. Safe to run again and beside live webhooks.
  --dry-run      report what would change; write nothing
  --page-size N  objects per Backend API page, 1 to 500 (default 100)
  --only K       only users, or only organizations and their memberships
  --user ID      sync just this user now (repeatable): created, updated, left alone, or
                 tombstoned when Clerk has no such user`;

/** A Clerk user id, as the service stores them. */
const USER_ID = /^user_[A-Za-z0-9_]{1,59}$/;

/** One line per user of `--user`. */
const USER_OUTCOMES: Record<UserSyncResult['outcome'], [string, string]> = {
  created: ['created', 'would be created'],
  updated: ['updated', 'would be updated'],
  unchanged: [
    "unchanged: Clerk's version or a newer one is stored",
    "unchanged: Clerk's version or a newer one is stored",
  ],
  skippedDeleted: ['skipped: deleted here, stays deleted', 'skipped: deleted here, stays deleted'],
  removed: ['tombstoned: Clerk has no such user', 'would be tombstoned: Clerk has no such user'],
  gone: ['already deleted here: Clerk has no such user', 'already deleted here: Clerk has no such user'],
  invalid: [
    'invalid: Clerk returned a user the service cannot use',
    'invalid: Clerk returned a user the service cannot use',
  ],
};

async function main(): Promise<void> {
  const { values } = parseCommandArgs(
    {
      options: {
        'dry-run': { type: 'boolean' },
        'page-size': { type: 'string' },
        only: { type: 'string' },
        user: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    },
    USAGE,
  );
  if (values.help) return void console.log(USAGE);
  const pageSize = Number(values['page-size'] ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    fail(`--page-size must be a whole number from 1 to 500\n\n${USAGE}`, 2);
  const dryRun = values['dry-run'] ?? false;
  const only = values.only;
  if (only !== undefined && only !== 'users' && only !== 'organizations') {
    fail(`--only must be users or organizations\n\n${USAGE}`, 2);
  }

  const userIds = [...new Set(values.user ?? [])];
  const badId = userIds.find((id) => !USER_ID.test(id));
  if (badId !== undefined) fail(`--user needs a Clerk user id (user_...), not ${JSON.stringify(badId)}\n\n${USAGE}`, 2);
  if (userIds.length && (only !== undefined || values['page-size'] !== undefined))
    fail(`--user syncs just those users: it takes no --only or --page-size\n\n${USAGE}`, 2);

  const { env, config } = loadCommandConfig(1);
  if (!config.clerk.secretKey)
    fail("CLERK_SECRET_KEY is not set: the backfill reads users from Clerk's Backend API (see .env.example)", 1);

  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env), {
    logger: ['error', 'warn'],
    abortOnError: false,
  }).catch((error: Error) =>
    fail(error instanceof DatabaseStartError ? error.message : `Could not start: ${error.message}`, 1),
  );

  if (userIds.length) return syncUsers(app, userIds, dryRun);
  const label = dryRun ? 'Dry run' : 'Backfill';
  const bars = new BackfillProgressBars(label);
  try {
    const results = await app.get(BackfillService).run({
      dryRun,
      pageSize,
      kinds: only === 'users' ? ['users'] : only === 'organizations' ? ['organizations', 'memberships'] : undefined,
      onProgress: (progress) => bars.update(progress),
      onWait: (message) => process.stderr.write(`\n${message}\n`),
    });
    bars.stop();
    for (const line of summaryLines(label, results, dryRun)) console.log(line);
  } catch (error) {
    bars.stop();
    process.exitCode = 1;
    process.stderr.write(
      `\n${error instanceof BackfillError ? error.message : `Backfill failed: ${(error as Error).message}`}\n`,
    );
  } finally {
    await app.close();
  }
}

/** `--user`: just those users, one line each and a summary. */
async function syncUsers(app: INestApplicationContext, ids: string[], dryRun: boolean): Promise<void> {
  try {
    const results = await app.get(BackfillService).syncUsers(ids, {
      dryRun,
      onWait: (message) => process.stderr.write(`${message}\n`),
    });
    for (const { id, outcome, reason } of results) {
      console.log(`${id}: ${USER_OUTCOMES[outcome][dryRun ? 1 : 0]}${reason ? ` (${reason})` : ''}`);
    }
    const written = results.filter(({ outcome }) => ['created', 'updated', 'removed'].includes(outcome)).length;
    const verb = dryRun ? 'would be written' : 'written';
    console.log(`${dryRun ? 'Dry run' : 'Sync'} done: ${ids.length} user(s); ${written} ${verb}.`);
    if (results.some(({ outcome }) => outcome === 'invalid')) process.exitCode = 1;
  } catch (error) {
    process.exitCode = 1;
    process.stderr.write(
      `${error instanceof BackfillError ? error.message : `Sync failed: ${(error as Error).message}`}\n`,
    );
  } finally {
    await app.close();
  }
}

void main();
