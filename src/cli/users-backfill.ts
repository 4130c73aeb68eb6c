import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { Presets, SingleBar } from 'cli-progress';
import { BackfillModule } from '../backfill/backfill.module';
import { BackfillCounts, BackfillError, BackfillService } from '../backfill/backfill.service';
import { DatabaseStartError } from '../database/database.service';
import { fail, loadCommandConfig } from './command';

const USAGE = `Usage: npm run users:backfill [-- --dry-run] [-- --page-size N]

Copies every user from Clerk's Backend API (CLERK_SECRET_KEY) into the database (MONGODB_URI),
oldest first, through the same rules as the webhooks: newer versions win, deleted users stay
deleted. Safe to run again and beside live webhooks.
  --dry-run      report what would change; write nothing
  --page-size N  users per Backend API page, 1 to 500 (default 100)`;

const summary = ({ created, updated, unchanged, skippedDeleted, invalid }: BackfillCounts) =>
  `created ${created}, updated ${updated}, unchanged ${unchanged}, skipped (deleted) ${skippedDeleted}` +
  (invalid ? `, invalid ${invalid}` : '');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'dry-run': { type: 'boolean' }, 'page-size': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return void console.log(USAGE);
  const pageSize = Number(values['page-size'] ?? 100);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    fail(`--page-size must be a whole number from 1 to 500\n\n${USAGE}`, 2);
  const dryRun = values['dry-run'] ?? false;

  const { env, config } = loadCommandConfig(1);
  if (!config.clerk.secretKey)
    fail("CLERK_SECRET_KEY is not set: the backfill reads users from Clerk's Backend API (see .env.example)", 1);

  const app = await NestFactory.createApplicationContext(BackfillModule.forCommand(env), {
    logger: ['error', 'warn'],
    abortOnError: false,
  }).catch((error: Error) =>
    fail(error instanceof DatabaseStartError ? error.message : `Could not start: ${error.message}`, 1),
  );

  const bar = new SingleBar(
    {
      format: `${dryRun ? 'Dry run' : 'Backfill'} [{bar}] {percentage}% | {value}/{total} users | ETA {eta_formatted} | {counts}`,
      etaBuffer: 5,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(0, 0, { counts: '' });
  try {
    const result = await app.get(BackfillService).run({
      dryRun,
      pageSize,
      onProgress: ({ done, total, counts }) => {
        bar.setTotal(total);
        bar.update(done, { counts: summary(counts) });
      },
      onWait: (message) => process.stderr.write(`\n${message}\n`),
    });
    bar.stop();
    const { created, updated } = result.counts;
    const verb = dryRun ? 'would be' : 'were';
    console.log(`${dryRun ? 'Dry run' : 'Backfill'} done: ${result.done} users from Clerk; ${summary(result.counts)}.`);
    const nothing = dryRun ? 'Nothing would change' : 'Nothing changed';
    console.log(
      created + updated === 0
        ? `${nothing}: every user is already up to date.`
        : `${created + updated} users ${verb} written.`,
    );
  } catch (error) {
    bar.stop();
    process.exitCode = 1;
    process.stderr.write(
      `\n${error instanceof BackfillError ? error.message : `Backfill failed: ${(error as Error).message}`}\n`,
    );
  } finally {
    await app.close();
  }
}

void main();
