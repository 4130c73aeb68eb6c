import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { BackfillService } from '../backfill/backfill.service';
import { BackfillError } from '../backfill/clerk-retries';
import { DatabaseStartError } from '../database/database.service';
import { BackfillProgressBars, summaryLines } from './backfill-progress';
import { CliModule } from './cli.module';
import { fail, loadCommandConfig } from './command';

const USAGE = `Usage: npm run users:backfill [-- --dry-run] [-- --page-size N] [-- --only users|organizations]

Copies every user, organization and membership from Clerk's Backend API (CLERK_SECRET_KEY) into
the database (MONGODB_URI), oldest first, through the same rules as the webhooks: newer versions
win, deleted objects stay deleted. Safe to run again and beside live webhooks.
  --dry-run      report what would change; write nothing
  --page-size N  objects per Backend API page, 1 to 500 (default 100)
  --only K       only users, or only organizations and their memberships`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean' },
      'page-size': { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const pageSize = Number(values['page-size'] ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    fail(`--page-size must be a whole number from 1 to 500\n\n${USAGE}`, 2);
  const dryRun = values['dry-run'] ?? false;
  const only = values.only;
  if (only !== undefined && only !== 'users' && only !== 'organizations') {
    fail(`--only must be users or organizations\n\n${USAGE}`, 2);
  }

  const { env, config } = loadCommandConfig(1);
  if (!config.clerk.secretKey)
    fail("CLERK_SECRET_KEY is not set: the backfill reads users from Clerk's Backend API (see .env.example)", 1);

  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env), {
    logger: ['error', 'warn'],
    abortOnError: false,
  }).catch((error: Error) =>
    fail(error instanceof DatabaseStartError ? error.message : `Could not start: ${error.message}`, 1),
  );

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

void main();
