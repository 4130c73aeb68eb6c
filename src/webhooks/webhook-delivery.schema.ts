import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * How long a processed Svix message id is remembered: longer than Svix retries a message (docs/operations.md,
 * "svix-retries"). A replay after this window is still safe, as versions decide (it reads `stale`).
 */
export const DELIVERY_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** A delivery that changed nothing (stale or ignored), by Svix message id. Holds no user data. */
@Schema({ collection: 'webhook_deliveries', versionKey: false })
export class WebhookDelivery {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  type: string;

  @Prop({ type: String, required: true })
  outcome: string;

  @Prop({ type: Date, required: true })
  processedAt: Date;
}

export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);
