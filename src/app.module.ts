import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ValidationPipe } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { AppConfigModule, AppConfigOptions } from './config/config.module';
import { AppConfigService } from './config/config.service';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { HttpErrorFilter } from './http-error.filter';
import { MeModule } from './me/me.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Headers that carry credentials: never written to a log. */
export const REDACTED_HEADERS = ['authorization', 'cookie', 'svix-signature'];

@Module({})
export class AppModule {
  static forRoot(options: AppConfigOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(options),
        LoggerModule.forRootAsync({
          inject: [AppConfigService],
          useFactory: (config: AppConfigService) => ({
            pinoHttp: {
              level: config.values.logLevel,
              redact: {
                paths: [...REDACTED_HEADERS.map((name) => `req.headers["${name}"]`), 'res.headers["set-cookie"]'],
                censor: '[redacted]',
              },
              customLogLevel: (_request, response, error) =>
                error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
              autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
            },
          }),
        }),
        DatabaseModule,
        AuthModule,
        WebhooksModule,
        MeModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        {
          provide: APP_PIPE,
          // Unknown fields are refused and named, so Clerk-owned fields cannot be written.
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
        },
      ],
    };
  }
}
