import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig, LogFormat } from '../config/config.schema';

/**
 * The request headers a log line carries: an allow-list, so credentials (authorization, cookie,
 * svix-signature) never reach a log. (Redacting from all headers instead cost about 15 µs of CPU
 * per request: pino serializes a request logger's bindings as it is created.)
 */
export const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length', 'svix-id', 'x-forwarded-for'] as const;

interface SerializedRequest {
  id: unknown;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  remoteAddress?: string;
  remotePort?: number;
}

/** A request as a log line shows it: no query or body, and only the allowed headers. */
export function serializeRequest({ id, method, url, headers, remoteAddress, remotePort }: SerializedRequest) {
  const logged: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) logged[name] = value;
  }
  // The path only: tokens and e-mail addresses travel in query strings (`?__session=...`).
  const queryAt = url.indexOf('?');
  return { id, method, url: queryAt === -1 ? url : url.slice(0, queryAt), headers: logged, remoteAddress, remotePort };
}

/** JSON in production and when stdout is not a terminal; readable lines for a person at a terminal. */
export function logFormat(
  { logFormat: chosen, production }: AppConfig,
  isTerminal = Boolean(process.stdout.isTTY),
): LogFormat {
  return chosen ?? (!production && isTerminal ? 'pretty' : 'json');
}

/**
 * An answer that is no incident although it is a 5xx: a development-mode 503 for a feature whose
 * variables are not set. Its line is a warning without a stack.
 */
const EXPECTED = Symbol('expected answer');
export const markExpected = (response: object): void => void ((response as Record<symbol, boolean>)[EXPECTED] = true);
const isExpected = (response: object): boolean => (response as Record<symbol, boolean>)[EXPECTED] === true;

interface LoggedRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
}

/** The path a client asked for, without its query string (which may carry a token or an email). */
const pathOf = (request: LoggedRequest): string => (request.originalUrl ?? request.url ?? '').split('?')[0];

/** A pretty line: `POST /webhooks/clerk 200 3ms user.updated user_123 applied`. */
const requestLine = (request: LoggedRequest, response: { statusCode: number }, responseTime: number): string =>
  `${request.method} ${pathOf(request)} ${response.statusCode} ${responseTime}ms`;

/**
 * pino-pretty's layout: one line a log entry, objects left out (errors are still printed), and the
 * facts that the service added to a request (a webhook's outcome) on its line.
 */
const PRETTY_OPTIONS = {
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname',
  hideObject: true,
  messageFormat:
    '{if context}[{context}] {end}{msg}{if outcome} {type} {objectId} {outcome}{end}{if reason} ({reason}){end}',
};

/** pino-http as the service logs requests: no credentials, health checks and metrics scrapes left out. */
export function loggerOptions(config: AppConfig): Params {
  const pretty = logFormat(config) === 'pretty';
  return {
    // nestjs-pino's default route pattern ({/*splat}) matches nothing on Nest 12's Fastify adapter.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    // What a request did (RequestLog) joins the line pino-http writes when it is answered.
    assignResponse: true,
    pinoHttp: {
      level: config.logLevel,
      transport: pretty ? { target: 'pino-pretty', options: PRETTY_OPTIONS } : undefined,
      // Pretty lines show no objects: the request's own lines need not carry it.
      quietReqLogger: pretty,
      customSuccessMessage: pretty ? requestLine : undefined,
      customErrorMessage: pretty
        ? (request, response, _error, responseTime?: number) => requestLine(request, response, responseTime ?? 0)
        : undefined,
      customLogLevel: (_request, response, error) =>
        isExpected(response)
          ? 'warn'
          : error || response.statusCode >= 500
            ? 'error'
            : response.statusCode >= 400
              ? 'warn'
              : 'info',
      customErrorObject: (_request, response, error, fields) => (isExpected(response) ? omitError(fields) : fields),
      // Middleware sees a stripped req.url; originalUrl is the path the client asked for.
      autoLogging: {
        ignore: (request) => /^\/(health|metrics)(\/|$)/.test(pathOf(request as LoggedRequest)),
      },
      serializers: {
        req: serializeRequest,
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}

function omitError(fields: Record<string, unknown>): Record<string, unknown> {
  const { err: _err, ...rest } = fields;
  return rest;
}
