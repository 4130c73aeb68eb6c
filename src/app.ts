import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfigOptions } from './config/config.module';
import {
  closeConnectionsOnShutdown,
  proxyTrust,
  registerBodyParsers,
  securityHeaders,
  timeRequests,
} from './http/fastify-hooks';
import { limitConnections } from './http/connection-limits';
import { limitHandlerTime } from './http/request-deadline';
import { logRequests } from './http/request-log';
import { logFormat } from './http/logger.options';
import { AppConfigService } from './config/config.service';
import { MetricsService } from './metrics/metrics.service';

/** Larger bodies answer 413; Clerk's user events are a few KiB. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the whole HTTP application, ready to listen; `main.ts`, the tests and the benchmarks share it. */
export async function createApp(options: AppConfigOptions = {}): Promise<NestFastifyApplication> {
  // Fastify takes its proxy trust when it is built, before the configuration is loaded: a function
  // that asks the configured one, set below.
  let trustProxy: (address: string, hop: number) => boolean = () => false;
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: (address, hop) => trustProxy(address, hop),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    // Silent until pino takes over below: a bad configuration prints one message, not a stack.
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfigService).values;
  trustProxy = proxyTrust(config.trustProxy);
  if (config.missingClerkVariables.length) {
    // Development starts without Clerk's variables, but says once what will not work.
    app
      .get(Logger)
      .warn(
        `Not set: ${config.missingClerkVariables.join(', ')}. The features that need them answer 503 until they are set in .env`,
        'Config',
      );
  }
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  limitConnections(fastify.server, config.limits);
  limitHandlerTime(fastify, config.limits.databaseTimeoutMs);
  logRequests(fastify, PinoLogger.root, logFormat(config) === 'pretty');
  registerBodyParsers(fastify);
  closeConnectionsOnShutdown(fastify);
  securityHeaders(fastify, {
    // Swagger UI needs its inline bootstrap script and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        // The docs must load over plain HTTP on any host name (a laptop, a LAN, a cluster).
        upgradeInsecureRequests: null,
      },
    },
  });
  timeRequests(fastify, app.get(MetricsService));
  await app.register(fastifyCookie);
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: true,
    allowedHeaders: ['Authorization', 'Content-Type'],
    methods: ['GET', 'PATCH'],
  });
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
