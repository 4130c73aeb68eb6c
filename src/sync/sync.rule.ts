/**
 * The rule this service exists for: **the newest version wins, and a deleted object stays
 * deleted**. Every write of a Clerk object (webhooks, lazy sync, the backfill) goes through it.
 *
 * It is written twice on purpose, side by side: as the MongoDB filters of the conditional writes
 * (atomic on the server, so concurrent writers cannot interleave) and as their in-memory twins
 * (which explain an unwritten result and let a backfill page skip writes). Each twin matches
 * exactly the documents its filter matches; `sync.rule.spec.ts` is the decision table.
 */

/** What the service answers about a write from Clerk, from the repository up to the webhook's answer and metric label. */
export const SYNC_OUTCOMES = ['applied', 'duplicate', 'stale', 'ignored'] as const;
/**
 * - applied: the stored state changed;
 * - duplicate: this very delivery (svix-id) was processed before;
 * - stale: an older (or the same) version than the one stored, or an object deleted here;
 * - ignored: an event type the service does not handle.
 */
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/** What a write found stored before it: nothing, a live version, or a tombstone. */
export type Found = 'nothing' | 'live' | 'tombstone';

/** What one write did. A write is `applied` or `stale`; only a delivery can be a `duplicate`. */
export interface SyncResult {
  outcome: Extract<SyncOutcome, 'applied' | 'stale'>;
  found: Found;
  /** The stored object's last writers, when nothing changed: a redelivery finds its svix-id here. */
  writers?: string[];
}

/** The fields of a stored Clerk object that the rule reads. */
export interface StoredVersion {
  _id: string;
  deletedAt?: Date | null;
  /** Clerk's `updated_at` (ms) of the stored version. */
  clerkUpdatedAt?: number;
  writers?: string[];
  /**
   * The stored version lacks a field the service has kept since it was written (a membership's
   * permissions): the same version may then be written again, to fill it in.
   */
  incomplete?: boolean;
}

export const VERSION_FIELDS = { deletedAt: 1, clerkUpdatedAt: 1, writers: 1 } as const;

/** What is stored for an id, as the rule sees it. */
const foundOf = (stored: StoredVersion | null | undefined): Found =>
  !stored ? 'nothing' : stored.deletedAt ? 'tombstone' : 'live';

/**
 * A version may replace a live, older version (`updated_at` strictly less), or the same version
 * stored without a field kept since (`keptSince`: it fills them in). An absent object is inserted
 * by the upsert; a tombstone never matches, so nothing brings a deleted object back.
 */
export function newerVersionFilter(id: string, version: number, keptSince: readonly string[] = []) {
  const older = { clerkUpdatedAt: { $lt: version } };
  if (!keptSince.length) return { _id: id, deletedAt: null, ...older };
  const incomplete = { clerkUpdatedAt: version, $or: keptSince.map((field) => ({ [field]: { $exists: false } })) };
  return { _id: id, deletedAt: null, $or: [older, incomplete] };
}

/** The twin of `newerVersionFilter` (with its upsert): whether a write of `version` applies over `stored`. */
export function writesVersion(stored: StoredVersion | null | undefined, version: number): boolean {
  if (!stored) return true;
  // `$lt` never matches a missing field: a live object without a version is not replaced.
  if (stored.deletedAt || typeof stored.clerkUpdatedAt !== 'number') return false;
  return stored.clerkUpdatedAt < version || (stored.clerkUpdatedAt === version && Boolean(stored.incomplete));
}

/** A tombstone replaces a live object (or marks an absent one), whatever its version: deletion wins. */
export const liveFilter = (id: string) => ({ _id: id, deletedAt: null });

/** The twin of `liveFilter` (with its upsert): whether a tombstone is written over `stored`. */
function writesTombstone(stored: StoredVersion | null | undefined): boolean {
  return !stored?.deletedAt;
}

/**
 * The decision for one incoming write (a version, or a tombstone) over what is stored: `write`,
 * or the result of not writing. The repository's conditional writes make this decision on the
 * server; this is its in-memory form.
 */
export function decideWrite(
  stored: StoredVersion | null | undefined,
  incoming: number | 'tombstone',
): 'write' | SyncResult {
  const writes = incoming === 'tombstone' ? writesTombstone(stored) : writesVersion(stored, incoming);
  return writes ? 'write' : unwritten(stored);
}

/**
 * The result for an object about a user deleted here (a membership of a deleted user), on every
 * write path: stale, nothing stored, whatever is stored for the object itself. Deleted stays
 * deleted, and what belonged to the user does not come back either; counted as skipped.
 */
export const OF_DELETED_USER: SyncResult = { outcome: 'stale', found: 'tombstone' };

/** The result of a write that the rule refused, from what is stored. */
export const unwritten = (stored: StoredVersion | null | undefined): SyncResult => ({
  outcome: 'stale',
  found: foundOf(stored),
  writers: stored?.writers ?? [],
});
