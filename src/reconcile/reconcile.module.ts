import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BackfillService } from '../backfill/backfill.service';
import { ClerkModule } from '../clerk/clerk.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { LeaseRepository } from './lease.repository';
import { Lease, LeaseSchema } from './lease.schema';
import { ReconcileScheduler } from './reconcile.scheduler';

/** The periodic reconciliation inside the service (RECONCILE_INTERVAL_MINUTES). */
@Module({
  imports: [
    UsersModule,
    OrganizationsModule,
    ClerkModule,
    MongooseModule.forFeature([{ name: Lease.name, schema: LeaseSchema }]),
  ],
  providers: [LeaseRepository, BackfillService, ReconcileScheduler],
  exports: [ReconcileScheduler],
})
export class ReconcileModule {}
