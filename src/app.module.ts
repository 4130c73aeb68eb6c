import { DynamicModule, Module, RequestMethod, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
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
            // nestjs-pino's default route pattern ({/*splat}) matches nothing on Nest 12's Fastify adapter.
            forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
            pinoHttp: {
              level: config.values.logLevel,
              redact: {
                paths: [...REDACTED_HEADERS.map((name) => `req.headers["${name}"]`), 'res.headers["set-cookie"]'],
                censor: '[redacted]',
              },
              customLogLevel: (_request, response, error) =>
                error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
              // Middleware sees a stripped req.url; originalUrl is the path the client asked for.
              autoLogging: {
                ignore: (request) => ((request as { originalUrl?: string }).originalUrl ?? request.url ?? '').startsWith('/health'),
              },
              serializers: { res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }) },
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
