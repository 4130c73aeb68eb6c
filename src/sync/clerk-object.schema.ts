import { Prop } from '@nestjs/mongoose';

/**
 * What every stored Clerk object (user, organization, membership) carries besides its own
 * fields: its id, the version stored, who wrote it and, once deleted, when. A tombstone keeps
 * `_id`, `deletedAt`, `writtenBy` and `writers` only: see `ClerkObjectRepository.tombstone`.
 */
export abstract class ClerkObject {
  /** Clerk's id. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Date })
  clerkCreatedAt?: Date | null;

  /** Clerk's `updated_at` (ms) of the stored version: the newest version wins (`sync.rule.ts`). */
  @Prop({ type: Number })
  clerkUpdatedAt?: number;

  /** What wrote the stored version: a Svix message id, or `lazy-sync` / `backfill` / `reconcile`. */
  @Prop({ type: String })
  writtenBy?: string;

  /**
   * The last writers that changed the object (svix-ids, `lazy-sync`, ...), oldest first: how a
   * redelivery of an applied webhook is told apart, without a second write per delivery.
   */
  @Prop({ type: [String], default: undefined })
  writers?: string[];

  @Prop({ type: Date })
  deletedAt?: Date | null;

  createdAt: Date;
  updatedAt: Date;
}
