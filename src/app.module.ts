import { DynamicModule, Module, OnApplicationShutdown, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { loggerOptions } from './http/logger.options';
import { ShutdownLog } from './http/shutdown-log';
import { AppConfigModule, AppConfigOptions } from './config/config.module';
import { AppConfigService } from './config/config.service';
import { DatabaseModule } from './database/database.module';
import { DirectoryModule } from './directory/directory.module';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { MetricsHttpModule } from './metrics/metrics-http.module';
import { MetricsModule } from './metrics/metrics.module';
import { ReconcileModule } from './reconcile/reconcile.module';
import { flushTraces } from './telemetry/span-hooks';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule implements OnApplicationShutdown {
  /** Once the last request is answered: the spans still buffered are exported before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    await flushTraces();
  }

  static forRoot(options: AppConfigOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(options),
        LoggerModule.forRootAsync({
          inject: [AppConfigService],
          useFactory: (config: AppConfigService) => loggerOptions(config.values),
        }),
        DatabaseModule,
        AuthModule,
        WebhooksModule,
        MeModule,
        DirectoryModule,
        HealthModule,
        ReconcileModule,
        MetricsModule,
        MetricsHttpModule,
      ],
      providers: [
        ShutdownLog,
        {
          provide: APP_PIPE,
          // Unknown fields are refused and named, so Clerk-owned fields cannot be written.
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
        },
      ],
    };
  }
}
