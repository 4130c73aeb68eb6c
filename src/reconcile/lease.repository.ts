import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { Lease } from './lease.schema';

/** `leases`: one conditional write per step, so that two instances never both hold one. */
@Injectable()
export class LeaseRepository {
  constructor(@InjectModel(Lease.name) private readonly leases: Model<Lease>) {}

  /** Takes the lease if it is free (absent or expired); false when another instance holds it. */
  async acquire(job: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    try {
      const result = await this.leases.updateOne(
        { _id: job, expiresAt: { $lt: now } },
        { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs), lastStartedAt: now } },
        { upsert: true },
      );
      return result.upsertedCount + result.modifiedCount === 1;
    } catch (error) {
      // The lease exists and is held: the upsert's insert collided with it.
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Extends the lease while its holder works; false when it was lost (it expired and was taken). */
  async renew(job: string, owner: string, ttlMs: number): Promise<boolean> {
    const result = await this.leases.updateOne(
      { _id: job, owner },
      { $set: { expiresAt: new Date(Date.now() + ttlMs) } },
    );
    return result.matchedCount === 1;
  }

  /** Ends a run: the holder keeps the lease until `until` (the next run's time), with the run's summary. */
  async finish(job: string, owner: string, until: Date, summary: string): Promise<void> {
    await this.leases.updateOne(
      { _id: job, owner },
      { $set: { expiresAt: until, lastFinishedAt: new Date(), lastSummary: summary } },
    );
  }

  find(job: string): Promise<Lease | null> {
    return this.leases.findById(job).lean<Lease>().exec();
  }
}
