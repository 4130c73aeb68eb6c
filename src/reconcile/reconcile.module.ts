import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BackfillModule } from '../backfill/backfill.module';
import { LeaseRepository } from './lease.repository';
import { Lease, LeaseSchema } from './lease.schema';
import { ReconcileScheduler } from './reconcile.scheduler';

/** The periodic reconciliation inside the service (RECONCILE_INTERVAL_MINUTES). */
@Module({
  imports: [BackfillModule, MongooseModule.forFeature([{ name: Lease.name, schema: LeaseSchema }])],
  providers: [LeaseRepository, ReconcileScheduler],
  exports: [ReconcileScheduler],
})
export class ReconcileModule {}
