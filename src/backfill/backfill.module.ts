import { DynamicModule, Module } from '@nestjs/common';
import { ClerkModule } from '../clerk/clerk.module';
import { AppConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { MetricsModule } from '../metrics/metrics.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { BackfillService } from './backfill.service';

/** The backfill runs as a command (`npm run users:backfill`), not inside the HTTP service. */
@Module({})
export class BackfillModule {
  static forCommand(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: BackfillModule,
      imports: [
        AppConfigModule.forRoot({ env }),
        MetricsModule,
        DatabaseModule,
        UsersModule,
        OrganizationsModule,
        ClerkModule,
      ],
      providers: [BackfillService],
    };
  }
}
