import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The Backend API requests one secret key made in one second, from every process that uses it
 * (the service's instances, their reconciliation, every `users:backfill`). Kept a minute.
 */
@Schema({ collection: 'clerk_budget', versionKey: false })
export class ClerkBudgetSecond {
  /** `<hash of the secret key>:<epoch second>`: the key itself is never stored. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Number, required: true })
  count: number;

  @Prop({ type: Date, required: true })
  expiresAt: Date;
}

export const ClerkBudgetSecondSchema = SchemaFactory.createForClass(ClerkBudgetSecond);
ClerkBudgetSecondSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
