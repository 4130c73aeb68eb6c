import { DynamicModule, Module } from '@nestjs/common';
import { BackfillModule } from '../backfill/backfill.module';
import { AppConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { MetricsModule } from '../metrics/metrics.module';

/** The root module of `npm run users:backfill`: the reconciliation and what it needs, no HTTP. */
@Module({})
export class CliModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: CliModule,
      imports: [AppConfigModule.forRoot({ env }), MetricsModule, DatabaseModule, BackfillModule],
    };
  }
}
