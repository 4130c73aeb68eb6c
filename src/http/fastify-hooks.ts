import { BadRequestException, NotFoundException } from '@nestjs/common';
import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import secureJson from 'secure-json-parse';
import { jsonEntriesProblem, REQUEST_BODY_LIMITS } from './body-limits';
import type { HttpObserver } from './http-observer';
import { JSON_TOO_DEEP_MESSAGE, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';

/**
 * JSON bodies are parsed once their depth is known to be bounded, by secure-json-parse, which
 * refuses keys that would reach an object's prototype; each refusal says what was wrong. Routes
 * marked `rawBody` (the webhook) get the exact bytes instead, so the signature is checked first.
 *
 * Routing comes first: a path with no route is a 404 before its body is read, limited or parsed,
 * so that a webhook endpoint set to a wrong URL shows its sender a 404, not a body error.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  // preParsing: after every onRequest hook (the request log, the security headers, CORS), before the body is read.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (!request.is404) return done(null, payload);
    const hint = WEBHOOK_HINT.test(request.url.split('?')[0]) ? WEBHOOK_ROUTE : '';
    done(new NotFoundException(`Cannot ${request.method} ${request.url}${hint}`));
  });
  // JSON only: a body of any other type (Fastify's text/plain included) is a 415 naming application/json.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    if ((request.routeOptions.config as { rawBody?: boolean }).rawBody) return done(null, raw);
    try {
      done(null, parseJsonBody(raw as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** A near miss of the webhook's path gets its right one. */
const WEBHOOK_HINT = /webhook/i;
const WEBHOOK_ROUTE = " (Clerk's webhooks are POST /webhooks/clerk)";

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw new BadRequestException('The request body is empty');
  const text = raw.toString('utf8');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new BadRequestException(JSON_TOO_DEEP_MESSAGE);
  const tooMany = jsonEntriesProblem(text, REQUEST_BODY_LIMITS);
  if (tooMany) throw new BadRequestException(tooMany);
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new BadRequestException(
      /prototype property/.test((error as Error).message)
        ? 'The request body has a forbidden key (__proto__ or constructor.prototype)'
        : 'The request body is not valid JSON',
    );
  }
}

/** How long requests in flight may take to finish once the server closes; then their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * A request in flight when the server starts closing is answered with `connection: close`:
 * otherwise its keep-alive socket turns idle after `close()` began and holds the process open
 * until the keep-alive timeout. A client that stops reading its answer, or a request that
 * never ends, is cut after the grace period rather than holding the shutdown open for ever.
 */
export function closeConnectionsOnShutdown(fastify: FastifyInstance): void {
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

/** Whom to believe about X-Forwarded-For and -Proto: TRUST_PROXY, trusting none by default. */
export function proxyTrust(setting: boolean | string[]): (address: string, hop: number) => boolean {
  if (typeof setting === 'boolean') return () => setting;
  return proxyAddr.compile(setting);
}

/** A year, with subdomains, as helmet's default. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * helmet's headers on every answer, worked out once: the options are static (no nonces), so the
 * headers are too. (@fastify/helmet builds helmet's middleware anew for every request, which
 * cost about 15 µs of CPU per request.) HSTS is added on HTTPS requests only (directly, or
 * through a trusted proxy's X-Forwarded-Proto): over plain HTTP it means nothing.
 */
export function securityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = helmetHeaders({ ...options, strictTransportSecurity: false } as HelmetOptions);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    done();
  });
}

/** The headers helmet's middleware sets with these options, by running it once on a recorder. */
function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error as Error;
  });
  return headers;
}

/** Every answer's duration, by route pattern (never the raw URL: ids stay out of the labels). */
export function timeRequests(fastify: FastifyInstance, observer: HttpObserver): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    observer.observeHttpRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}
