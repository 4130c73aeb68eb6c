import type { Model } from 'mongoose';
import type { Versioned, VersionedRepository } from './versioned-sync';
import { StoredVersion, upsertIfNewer, upsertTombstone, VERSION_FIELDS, WriteResult } from './versioned-writes';

/**
 * The queries every collection of Clerk objects shares: the stored versions that decide whether a
 * write applies, the conditional write of a newer version and the tombstone. A subclass says what
 * a version writes (`fieldsOf`) and what a deletion removes (`removedOnDelete`).
 */
export abstract class ClerkObjectRepository<S extends Versioned, D> implements VersionedRepository<S> {
  protected constructor(
    protected readonly model: Model<D>,
    private readonly removedOnDelete: readonly string[],
  ) {}

  /** The document fields of a version (Clerk's part only), and those a new document also gets. */
  protected abstract fieldsOf(snapshot: S): { set: Record<string, unknown>; setOnInsert?: Record<string, unknown> };

  findVersion(id: string): Promise<StoredVersion | null> {
    return this.model.findById(id, VERSION_FIELDS).lean<StoredVersion>().exec();
  }

  findVersions(ids: string[]): Promise<StoredVersion[]> {
    return this.model
      .find({ _id: { $in: ids } }, VERSION_FIELDS)
      .lean<StoredVersion[]>()
      .exec();
  }

  /**
   * The live objects first stored before `before`, streamed (a run's candidates for removal:
   * anything stored since may be missing from a listing that was already under way).
   */
  liveStoredBefore<F extends keyof D>(
    before: Date,
    fields: readonly F[] = [],
  ): AsyncIterable<Pick<D, F> & { _id: string }> {
    const projection = Object.fromEntries(['_id', ...fields].map((field) => [field, 1]));
    return this.model
      .find({ deletedAt: null, createdAt: { $lt: before } }, projection)
      .lean<Pick<D, F> & { _id: string }>()
      .cursor() as AsyncIterable<Pick<D, F> & { _id: string }>;
  }

  writeIfNewer(snapshot: S, writtenBy: string): Promise<WriteResult> {
    const { set, setOnInsert } = this.fieldsOf(snapshot);
    return upsertIfNewer(this.model, snapshot.id, snapshot.version, writtenBy, set, setOnInsert);
  }

  tombstone(id: string, writtenBy: string): Promise<WriteResult> {
    return upsertTombstone(this.model, id, writtenBy, this.removedOnDelete);
  }
}

/** Metadata is kept as JSON text: its keys are Clerk's users' own (dots, `$`), which updates would misread. */
export const metadataFields = (publicMetadata: unknown, privateMetadata: unknown) => ({
  publicMetadataJson: JSON.stringify(publicMetadata),
  privateMetadataJson: JSON.stringify(privateMetadata),
});
