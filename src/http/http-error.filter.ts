import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyError, FastifyReply } from 'fastify';
import { isDatabaseUnavailableError } from '../database/mongo-errors';
import { clientMessage, DEFAULT_RETRY_AFTER_SECONDS } from './error-message';
import type { HttpObserver } from './http-observer';
import { isHttpStatusError } from './http-status.error';
import { markExpected } from './request-log';
import { RetryLaterException } from './retry-later.exception';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/** Messages for errors Fastify raises before a handler runs (body parsing, media type). */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than 1 MiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'Unsupported content type: send the body as JSON, with Content-Type: application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request body does not match its content-length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
};

export const errorBody = (statusCode: number, message: string): ErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
});

/**
 * Every error as `{statusCode, error, message}`: client errors say what was wrong (an
 * HttpException, or a feature's error that carries its status: HttpStatusError), an unreachable
 * database is a 503, and anything else is a bare 500 whose details go to the log only (the filter
 * below hands them to the request's log entry).
 */
function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const known = fastifyMessage(exception.cause);
    if (known) return errorBody(status, known);
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : ((response as { message?: string | string[] }).message ?? exception.message);
    return errorBody(status, Array.isArray(message) ? message.join('; ') : message);
  }
  if (isHttpStatusError(exception)) return errorBody(exception.httpStatus, exception.message);
  if (isDatabaseUnavailableError(exception)) return errorBody(503, 'The database is unavailable; try again later');
  return errorBody(500, 'Internal server error');
}

/** Nest hands Fastify's own 4xx errors over as HttpExceptions caused by them. */
function fastifyMessage(cause: unknown): string | undefined {
  if (cause instanceof SyntaxError) return FASTIFY_MESSAGES.FST_ERR_CTP_INVALID_JSON_BODY;
  return FASTIFY_MESSAGES[(cause as Partial<FastifyError> | undefined)?.code ?? ''];
}

/** Retry-After: the error's own wait (RetryLaterException, an HttpStatusError), else a default for any 503. */
function retryAfterOf(exception: unknown, status: number): number | undefined {
  const own =
    exception instanceof RetryLaterException || isHttpStatusError(exception) ? exception.retryAfterSeconds : undefined;
  if (own !== undefined) return Math.ceil(own);
  return status === 503 ? DEFAULT_RETRY_AFTER_SECONDS : undefined;
}

/** Installed by `configureHttp`; what it sees goes to the observer (the metrics) and the request's log line. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly observer: HttpObserver) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = toErrorBody(exception);
    error.message = clientMessage(error.message, reply.request.url);
    if (error.statusCode === 503 && isDatabaseUnavailableError(exception)) this.observer.countDatabaseUnavailable();
    // The request's line logs a 5xx with the error it finds here; without it, a stack of its own making.
    // An expected answer (a feature not configured in development) is a warning, no stack.
    if (isHttpStatusError(exception) && exception.expected) markExpected(reply.raw);
    else if (error.statusCode >= 500 && !(exception instanceof HttpException))
      (reply.raw as { err?: unknown }).err = exception;
    const retryAfter = retryAfterOf(exception, error.statusCode);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    void reply.status(error.statusCode).send(error);
  }
}
