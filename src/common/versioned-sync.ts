import { KeyedQueue } from './keyed-queue';
import { mapLimited } from './map-limited';
import type { StoredVersion, WriteResult } from './versioned-writes';

/**
 * What a write from Clerk did:
 * - created / updated / deleted: the stored state changed;
 * - unchanged: this very version is stored already;
 * - stale: a newer version is stored;
 * - tombstoned: the object is deleted, so nothing was written.
 */
export type SyncOutcome = 'created' | 'updated' | 'deleted' | 'unchanged' | 'stale' | 'tombstoned';

export interface SyncResult {
  outcome: SyncOutcome;
  /** The last writers of what is stored, when nothing changed: lets a redelivery recognise itself. */
  writers?: string[];
}

/** A version of a Clerk object: its id and Clerk's `updated_at`. */
export interface Versioned {
  id: string;
  version: number;
}

/** The queries a versioned collection offers (its repository). */
export interface VersionedRepository<S extends Versioned> {
  writeIfNewer(snapshot: S, writtenBy: string): Promise<WriteResult>;
  tombstone(id: string, writtenBy: string): Promise<WriteResult>;
  findVersion(id: string): Promise<StoredVersion | null>;
  findVersions(ids: string[]): Promise<StoredVersion[]>;
}

/** Writes in flight at once for a page of different objects. */
const PAGE_WRITE_CONCURRENCY = 8;

/**
 * The two rules every Clerk object follows, whatever the source (webhooks, /me, the backfill):
 * the newest version (Clerk's `updated_at`) wins, and a deleted object stays deleted.
 *
 * One object's writes run one after another within this process. MongoDB applies each
 * conditional write atomically anyway; servers that update by read-then-write (FerretDB 1.x)
 * would otherwise lose concurrent writes to one object.
 */
export class VersionedSync<S extends Versioned> {
  private readonly queue = new KeyedQueue();

  constructor(private readonly repository: VersionedRepository<S>) {}

  /** Stores this version if it is newer than the stored one and the object is not deleted. */
  sync(snapshot: S, writtenBy: string): Promise<SyncResult> {
    return this.queue.run(snapshot.id, async () => {
      const result = await this.repository.writeIfNewer(snapshot, writtenBy);
      if (result === 'inserted') return { outcome: 'created' };
      if (result === 'modified') return { outcome: 'updated' };
      return this.outcomeUnwritten(snapshot.id, snapshot.version);
    });
  }

  /**
   * Syncs a page (the backfill): one read finds the objects stored at this version or newer, or
   * deleted, and only the others are written. A dry run reports without writing.
   */
  async syncPage(snapshots: S[], writtenBy: string, { dryRun = false } = {}): Promise<SyncOutcome[]> {
    const stored = await this.repository.findVersions(snapshots.map((snapshot) => snapshot.id));
    const storedById = new Map(stored.map((version) => [version._id, version]));
    return mapLimited(snapshots, PAGE_WRITE_CONCURRENCY, async (snapshot) => {
      const current = storedById.get(snapshot.id);
      const settled = outcomeWithoutWrite(current, snapshot.version);
      if (settled) return settled;
      if (dryRun) return current ? 'updated' : 'created';
      return (await this.sync(snapshot, writtenBy)).outcome;
    });
  }

  /** Replaces the object by a tombstone that no later version brings back. */
  delete(id: string, writtenBy: string): Promise<SyncResult> {
    return this.queue.run(id, async () => {
      if ((await this.repository.tombstone(id, writtenBy)) !== 'unmatched') return { outcome: 'deleted' };
      return this.outcomeUnwritten(id);
    });
  }

  /** Runs another write to the object in its turn (e.g. app-owned fields). */
  inTurn<T>(id: string, write: () => Promise<T>): Promise<T> {
    return this.queue.run(id, write);
  }

  private async outcomeUnwritten(id: string, version?: number): Promise<SyncResult> {
    const stored = await this.repository.findVersion(id);
    const writers = stored?.writers ?? (stored?.writtenBy ? [stored.writtenBy] : []);
    if (!stored || stored.deletedAt) return { outcome: 'tombstoned', writers };
    return { outcome: outcomeWithoutWrite(stored, version ?? Infinity) ?? 'stale', writers };
  }
}

/** The outcome when the stored object makes a write of this version pointless, else undefined. */
function outcomeWithoutWrite(stored: StoredVersion | undefined, version: number): SyncOutcome | undefined {
  if (!stored) return undefined;
  if (stored.deletedAt) return 'tombstoned';
  const storedVersion = stored.clerkUpdatedAt ?? -Infinity;
  if (storedVersion === version) return 'unchanged';
  return storedVersion > version ? 'stale' : undefined;
}
