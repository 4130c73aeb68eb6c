import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../database/mongo-errors';
import type { SyncOutcome } from '../sync/sync.rule';
import { DELIVERY_RETENTION_SECONDS, WebhookDelivery } from './webhook-delivery.schema';

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * `webhook_deliveries`: the svix-ids of deliveries that changed nothing (stale, ignored), kept for
 * the retention period. Applied deliveries are kept on the object they changed (`writers`).
 */
@Injectable()
export class DeliveriesRepository implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveriesRepository.name);
  private sweepTimer?: NodeJS.Timeout;

  constructor(@InjectModel(WebhookDelivery.name) private readonly deliveries: Model<WebhookDelivery>) {}

  /** Records a delivery that changed nothing; false when its svix-id was recorded already (a redelivery). */
  async recordDelivery(svixId: string, type: string, outcome: SyncOutcome): Promise<boolean> {
    try {
      await this.deliveries.create({ _id: svixId, type, outcome, processedAt: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * Records expire by a TTL index. Servers without TTL indexes (FerretDB) get an hourly sweep
   * instead: a documented server gap, handled here where the collection is owned.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.deliveries.collection.createIndex(
        { processedAt: 1 },
        { name: 'processedAt_ttl', expireAfterSeconds: DELIVERY_RETENTION_SECONDS },
      );
    } catch (error) {
      this.logger.warn(`No TTL index on webhook_deliveries (${(error as Error).message}); sweeping hourly instead`);
      this.sweep();
      this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  private sweep(): void {
    void this.deliveries
      .deleteMany({ processedAt: { $lt: new Date(Date.now() - DELIVERY_RETENTION_SECONDS * 1000) } })
      .exec()
      .catch((error: Error) => this.logger.warn(`Sweep of webhook_deliveries failed: ${error.message}`));
  }
}
