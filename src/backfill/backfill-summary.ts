import type { BackfillCounts, BackfillProgress } from './backfill.service';

export const countsSummary = ({ created, updated, unchanged, skippedDeleted, removed, invalid }: BackfillCounts) =>
  `created ${created}, updated ${updated}, unchanged ${unchanged}, skipped (deleted) ${skippedDeleted}, removed ${removed}` +
  (invalid ? `, invalid ${invalid}` : '');

/** One line for a whole run, as the service logs its periodic reconciliation. */
export const runSummary = (results: BackfillProgress[]) =>
  results.map(({ kind, done, counts }) => `${kind} ${done} listed: ${countsSummary(counts)}`).join('; ');
