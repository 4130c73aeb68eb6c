import fastifyCookie from '@fastify/cookie';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { HelmetOptions } from 'helmet';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { conditionalGets } from './conditional-get';
import { limitConnections } from './connection-limits';
import { warnUnlistedPreflights } from './cors-warnings';
import { closeConnectionsOnShutdown } from './graceful-shutdown';
import { HttpErrorFilter } from './http-error.filter';
import type { HttpObserver } from './http-observer';
import { registerBodyParsers } from './json-body-parser';
import { logFormat } from './logger.options';
import { proxyTrust } from './proxy-trust';
import { limitHandlerTime } from './request-deadline';
import { logRequests } from './request-log';
import { timeRequests } from './request-timing';
import { securityHeaders } from './security-headers';

/** Larger bodies answer 413; Clerk's user events are a few KiB. */
const BODY_LIMIT_BYTES = 1024 * 1024;

type ProxyTrust = (address: string, hop: number) => boolean;

/** The proxy trust of each adapter's Fastify, set by `configureHttp` once the configuration is read. */
const proxyTrusts = new WeakMap<object, { trust: ProxyTrust }>();

/**
 * The Fastify adapter to build the application on. Fastify takes its proxy trust when it is
 * built, before the configuration is loaded: a function that asks the configured one, which
 * `configureHttp` sets (trusting none until then).
 */
export function createHttpAdapter(): FastifyAdapter {
  const setting = { trust: (() => false) as ProxyTrust };
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: (address, hop) => setting.trust(address, hop),
  });
  proxyTrusts.set(adapter.getInstance(), setting);
  return adapter;
}

/** helmet's headers; Swagger UI (GET /docs) needs its inline bootstrap script and styles. */
const SECURITY_HEADERS: Readonly<HelmetOptions> = {
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
};

/**
 * The request's life, installed on an application built on `createHttpAdapter()`, before
 * `app.init()`. In this order, and why:
 *  1. proxy trust: everything after it reads the client's address and protocol (HSTS, the log);
 *  2. connection limits: on Node's server (408 for slow bodies, MAX_CONNECTIONS), before it listens;
 *  3. the deadline (`preHandler`), before the request log's context: its timer must not carry the
 *     request's context (and so the request) for its whole life;
 *  4. the request log: its context for the guards and handler, one line per answer (`onResponse`);
 *  5. the body parsers (`preParsing`, after every `onRequest` hook): a path with no route is a 404
 *     before its body is read; JSON only, of bounded depth and entries, raw bytes for the webhook;
 *  6. `connection: close` on answers sent while the server shuts down;
 *  7. the security headers (`onRequest`), on every answer including 404s and errors;
 *  8. request timing (`onResponse`) for the observer;
 *  9. conditional GETs (`onSend`): ETag and 304 on the routes marked `ConditionalGet`, from the
 *     serialized body;
 * 10. cookies, parsed before the guard reads `__session`;
 * 11. CORS, whose preflights are answered before any guard (`If-None-Match` allowed, `ETag` exposed);
 * 12. the error filter: every error a route, guard or pipe throws becomes `{statusCode, error, message}`.
 * Nothing here knows a feature: features throw HttpExceptions or HttpStatusErrors, and whoever
 * counts requests (the metrics) listens through `observer`.
 */
export async function configureHttp(
  app: NestFastifyApplication,
  config: AppConfig,
  observer: HttpObserver,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const proxy = proxyTrusts.get(fastify);
  if (!proxy) throw new Error('configureHttp needs an application built on createHttpAdapter()');
  proxy.trust = proxyTrust(config.trustProxy);
  limitConnections(fastify.server, config.limits);
  limitHandlerTime(fastify, config.limits.databaseTimeoutMs);
  logRequests(fastify, PinoLogger.root, logFormat(config) === 'pretty');
  registerBodyParsers(fastify);
  closeConnectionsOnShutdown(fastify);
  securityHeaders(fastify, SECURITY_HEADERS);
  timeRequests(fastify, observer);
  conditionalGets(fastify);
  await app.register(fastifyCookie);
  warnUnlistedPreflights(fastify, config.corsOrigins);
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: true,
    // A frontend may revalidate by hand (the browser's cache does it by itself), and read why its
    // session was refused.
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
    exposedHeaders: ['ETag', 'X-Clerk-Auth-Reason'],
    methods: ['GET', 'PATCH'],
  });
  app.useGlobalFilters(new HttpErrorFilter(observer));
}
