import { Module } from '@nestjs/common';
import { ClerkModule } from '../clerk/clerk.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { BackfillService } from './backfill.service';

/** The reconciliation (a backfill, then tombstones), for the command and for the service's timer. */
@Module({
  imports: [UsersModule, OrganizationsModule, ClerkModule],
  providers: [BackfillService],
  exports: [BackfillService],
})
export class BackfillModule {}
