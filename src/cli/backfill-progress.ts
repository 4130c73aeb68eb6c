import { Presets, SingleBar } from 'cli-progress';
import { countsSummary } from '../backfill/backfill-summary';
import type { BackfillKind } from '../backfill/backfill-kinds';
import type { BackfillProgress } from '../backfill/backfill.service';

const SINGULAR: Record<BackfillKind, string> = {
  users: 'user',
  organizations: 'organization',
  memberships: 'membership',
};

/** One progress bar per kind on stderr, with an ETA and the counts so far. */
export class BackfillProgressBars {
  private bar?: SingleBar;
  private kind?: BackfillKind;

  constructor(private readonly label: string) {}

  update({ kind, done, total, counts }: BackfillProgress): void {
    if (kind !== this.kind) {
      this.stop();
      this.kind = kind;
      this.bar = new SingleBar(
        {
          format: `${this.label} [{bar}] {percentage}% | {value}/{total} ${kind} | ETA {eta_formatted} | {counts}`,
          etaBuffer: 5,
          noTTYOutput: true,
          notTTYSchedule: 2000,
          stream: process.stderr,
        },
        Presets.shades_classic,
      );
      this.bar.start(total, 0, { counts: '' });
    }
    this.bar!.setTotal(total);
    this.bar!.update(done, { counts: countsSummary(counts) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/** The summary lines of a finished run, a pair per kind. */
export function summaryLines(label: string, results: BackfillProgress[], dryRun: boolean): string[] {
  return results.flatMap(({ kind, done, counts }) => {
    const written = counts.created + counts.updated + counts.removed;
    const nothing = dryRun ? 'Nothing would change' : 'Nothing changed';
    return [
      `${label} done: ${done} ${kind} from Clerk; ${countsSummary(counts)}.`,
      written === 0
        ? `${nothing}: every ${SINGULAR[kind]} is already up to date.`
        : `${written} ${kind} ${dryRun ? 'would be' : 'were'} written.`,
    ];
  });
}
