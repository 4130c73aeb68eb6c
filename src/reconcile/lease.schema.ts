import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A lease that lets one instance at a time run a periodic job. The holder renews `expiresAt`
 * while it runs; when it finishes it keeps the lease until the next run is due. A holder that
 * crashed stops renewing, and the lease is free once `expiresAt` has passed.
 */
@Schema({ collection: 'leases', versionKey: false })
export class Lease {
  /** The job's name. */
  @Prop({ type: String, required: true })
  _id: string;

  /** Which instance holds it (host, process id and a random suffix). */
  @Prop({ type: String, required: true })
  owner: string;

  @Prop({ type: Date, required: true })
  expiresAt: Date;

  @Prop({ type: Date })
  lastStartedAt?: Date;

  @Prop({ type: Date })
  lastFinishedAt?: Date;

  /** The last run's outcome, as logged. */
  @Prop({ type: String })
  lastSummary?: string;
}

export const LeaseSchema = SchemaFactory.createForClass(Lease);
