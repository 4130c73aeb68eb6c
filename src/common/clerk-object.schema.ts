import { Prop } from '@nestjs/mongoose';

/**
 * What every stored Clerk object (user, organization, membership) carries besides its own
 * fields: its id, the version stored, who wrote it and, once deleted, when. A deleted object
 * stays as a tombstone (`_id`, `deletedAt`, `writtenBy`) so that no late or replayed event brings
 * it back.
 */
export abstract class ClerkObject {
  /** Clerk's id. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Date })
  clerkCreatedAt?: Date | null;

  /** Clerk's `updated_at` (ms) of the stored version: the newest version wins. */
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
