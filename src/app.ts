import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfigOptions } from './config/config.module';
import { AppConfigService } from './config/config.service';
import { configureHttp, createHttpAdapter } from './http/configure-http';
import { MetricsService } from './metrics/metrics.service';

/** Builds the whole HTTP application, ready to listen; `main.ts`, the tests and the benchmarks share it. */
export async function createApp(options: AppConfigOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), createHttpAdapter(), {
    // Silent until pino takes over below: a bad configuration prints one message, not a stack.
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfigService).values;
  if (config.missingClerkVariables.length) {
    // Development starts without Clerk's variables, but says once what will not work.
    app
      .get(Logger)
      .warn(
        `Not set: ${config.missingClerkVariables.join(', ')}. The features that need them answer 503 until they are set in .env`,
        'Config',
      );
  }
  await configureHttp(app, config, app.get(MetricsService));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Clerk user sync')
      .setDescription("Keeps Clerk's users in MongoDB, fed by Svix-signed webhooks, and serves the signed-in profile.")
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'Clerk session JWT' })
      .addCookieAuth(
        '__session',
        { type: 'apiKey', in: 'cookie', description: "Clerk's session cookie (same origin)" },
        '__session',
      )
      .addSecurity('metrics', { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when it is set' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  await app.init();
  return app;
}
