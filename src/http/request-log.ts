import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Level as PinoLevel, Logger as Pino } from 'pino';
import { AppConfigService } from '../config/config.service';
import { logFormat } from './logger.options';
import {
  currentRequestContext,
  endRequestContext,
  loggedRequest,
  requestContextOf,
  runInRequestContext,
} from './request-context';

type Level = 'log' | 'warn';

/**
 * What a request did, in its log: the facts (a webhook's type, object and outcome) join the
 * request's own line, written when the answer is sent. JSON logs also keep a line of their own
 * for them (`"msg":"Webhook delivery"`, what operators search for); pretty logs do not, so that a
 * person at a terminal reads one line per request.
 */
@Injectable()
export class RequestLog {
  private readonly ownLine: boolean;

  constructor(config: AppConfigService) {
    this.ownLine = logFormat(config.values) === 'json';
  }

  record(logger: Logger, level: Level, fields: Record<string, unknown>, message: string): void {
    // Outside a request (a provider called directly) there is no request line to join.
    const context = currentRequestContext();
    if (context?.request) context.fields = { ...context.fields, ...fields };
    if (this.ownLine) logger[level](fields, message);
  }
}

/**
 * An answer that is no incident although it is a 5xx: a development-mode 503 for a feature whose
 * variables are not set. Its line is a warning without a stack.
 */
const EXPECTED = Symbol('expected answer');
export const markExpected = (response: object): void => void ((response as Record<symbol, boolean>)[EXPECTED] = true);
const isExpected = (response: object): boolean => (response as Record<symbol, boolean>)[EXPECTED] === true;

/** Health checks and metrics scrapes are not logged. */
const UNLOGGED = /^\/(health|metrics)(\/|$)/;

/** The path a client asked for, without its query string (which may carry a token or an email). */
const pathOf = (request: FastifyRequest): string => request.url.split('?')[0];

/**
 * One line per request, written when its answer is sent (`request completed`, or `request
 * errored` with the error for a 5xx), at a level that follows the status; pretty logs read
 * `POST /webhooks/clerk 200 3ms user.updated user_123 applied`. A request its client gave up on
 * (or Node cut with a 408: a body slower than REQUEST_TIMEOUT_SECONDS) is `request aborted`, a
 * warning.
 *
 * Fastify hooks rather than pino-http's middleware: a line below LOG_LEVEL costs nothing, where the
 * middleware built and serialized a child logger for every request (with Nest's middleware
 * runner, about 10% of the CPU of a GET /me).
 */
export function logRequests(fastify: FastifyInstance, logger: Pino, pretty: boolean): void {
  fastify.addHook('preHandler', (request, _reply, done) => runInRequestContext(request, done));
  fastify.addHook('onResponse', (request, reply, done) => {
    logAnswer(logger, request, reply, pretty);
    endRequestContext(request);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    logAbort(logger, request, pretty);
    endRequestContext(request);
    done();
  });
}

function logAbort(logger: Pino, request: FastifyRequest, pretty: boolean): void {
  const path = loggedPath(logger, 'warn', request);
  if (path === undefined) return;
  logger.warn(requestFields(request), pretty ? `${request.method} ${path} aborted` : 'request aborted');
}

function logAnswer(logger: Pino, request: FastifyRequest, reply: FastifyReply, pretty: boolean): void {
  const status = reply.statusCode;
  // The error the exception filter left for the log: a 5xx gets its real stack.
  const error = (reply.raw as { err?: unknown }).err;
  const expected = isExpected(reply.raw);
  const failed = !expected && (error !== undefined || status >= 500);
  const level = failed ? 'error' : expected || status >= 400 ? 'warn' : 'info';
  const path = loggedPath(logger, level, request);
  if (path === undefined) return;
  const responseTime = Math.round(reply.elapsedTime);
  const line: Record<string, unknown> = { ...requestFields(request), res: reply.raw, responseTime };
  if (failed) line.err = error ?? new Error(`failed with status code ${status}`);
  const message = pretty
    ? `${request.method} ${path} ${status} ${responseTime}ms`
    : failed || expected
      ? 'request errored'
      : 'request completed';
  logger[level](line, message);
}

/**
 * The path a request's line shows, when that line is to be written at all: its level is on, and
 * it is no health check or metrics scrape.
 */
function loggedPath(logger: Pino, level: PinoLevel, request: FastifyRequest): string | undefined {
  if (!logger.isLevelEnabled(level)) return undefined;
  const path = pathOf(request);
  return UNLOGGED.test(path) ? undefined : path;
}

/** The request and what the service learned of it while serving it. */
const requestFields = (request: FastifyRequest) => ({
  req: loggedRequest(request),
  ...requestContextOf(request)?.fields,
});
