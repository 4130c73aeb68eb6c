import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfigOptions } from './config/config.module';
import { AppConfigService } from './config/config.service';

/** Larger bodies answer 413; Clerk's user events are a few KiB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the whole HTTP application, ready to listen; `main.ts`, the tests and the benchmarks share it. */
export async function createApp(options: AppConfigOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
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
      .warn(`Not set: ${config.missingClerkVariables.join(', ')}. The features that need them answer 503 until they are set in .env`, 'Config');
  }
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  registerBodyParsers(fastify);
  closeConnectionsOnShutdown(fastify);
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    // Swagger UI needs its inline bootstrap script and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  });
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
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  await app.init();
  return app;
}

/**
 * JSON bodies are parsed by Fastify's safe parser, except on routes marked `rawBody`
 * (the webhook), which get the exact bytes so the signature can be checked first.
 */
function registerBodyParsers(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    if ((request.routeOptions.config as { rawBody?: boolean }).rawBody) return done(null, raw);
    parseJson(request, raw.toString('utf8'), done);
  });
}

/** How long requests in flight may take to finish once the server closes; then their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * A request in flight when the server starts closing is answered with `connection: close`:
 * otherwise its keep-alive socket turns idle after `close()` began and holds the process open
 * until the keep-alive timeout. A client that stops reading its answer, or a request that
 * never ends, is cut after the grace period rather than holding the shutdown open for ever.
 */
function closeConnectionsOnShutdown(fastify: FastifyInstance): void {
  let closing = false;
  let deadline: NodeJS.Timeout | undefined;
  fastify.addHook('preClose', (done) => {
    closing = true;
    deadline = setTimeout(() => fastify.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    done();
  });
  fastify.addHook('onClose', (_instance, done) => {
    clearTimeout(deadline);
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
