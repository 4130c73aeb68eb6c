import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import type { FastifyError, FastifyReply } from 'fastify';
import { FeatureNotConfiguredError } from '../config/feature-not-configured.error';
import { clientMessage, DEFAULT_RETRY_AFTER_SECONDS } from './error-message';
import { markExpected } from './request-log';
import { WebhookRejection } from '../webhooks/webhook-rejection';
import { isDatabaseUnavailableError } from '../database/mongo-errors';
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
 * Every error as `{statusCode, error, message}`: client errors say what was wrong, an
 * unreachable database or an unconfigured feature is a 503, and anything else is a bare 500
 * whose details go to the log only (the filter below hands them to the request's log entry).
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
  if (exception instanceof WebhookRejection) return errorBody(exception.status, exception.message);
  if (exception instanceof FeatureNotConfiguredError) return errorBody(503, exception.message);
  if (isDatabaseUnavailableError(exception)) return errorBody(503, 'The database is unavailable; try again later');
  return errorBody(500, 'Internal server error');
}

/** Nest hands Fastify's own 4xx errors over as HttpExceptions caused by them. */
function fastifyMessage(cause: unknown): string | undefined {
  if (cause instanceof SyntaxError) return FASTIFY_MESSAGES.FST_ERR_CTP_INVALID_JSON_BODY;
  return FASTIFY_MESSAGES[(cause as Partial<FastifyError> | undefined)?.code ?? ''];
}

@Injectable()
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly metrics: MetricsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = toErrorBody(exception);
    error.message = clientMessage(error.message, reply.request.url);
    if (error.statusCode === 503 && isDatabaseUnavailableError(exception)) this.metrics.countDatabaseUnavailable();
    // The request's line logs a 5xx with the error it finds here; without it, a stack of its own making.
    // A feature that is not configured is the documented development answer: a warning, no stack.
    if (exception instanceof FeatureNotConfiguredError) markExpected(reply.raw);
    else if (error.statusCode >= 500 && !(exception instanceof HttpException))
      (reply.raw as { err?: unknown }).err = exception;
    if (exception instanceof RetryLaterException && exception.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(Math.ceil(exception.retryAfterSeconds)));
    } else if (error.statusCode === 503) {
      reply.header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS));
    }
    void reply.status(error.statusCode).send(error);
  }
}
