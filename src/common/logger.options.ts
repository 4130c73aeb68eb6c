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

/** pino-http as the service logs requests: no credentials, health checks and metrics scrapes left out. */
export function loggerOptions(config: AppConfig): Params {
  return {
    // nestjs-pino's default route pattern ({/*splat}) matches nothing on Nest 12's Fastify adapter.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      transport:
        logFormat(config) === 'pretty'
          ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } }
          : undefined,
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      // Middleware sees a stripped req.url; originalUrl is the path the client asked for.
      autoLogging: {
        ignore: (request) =>
          /^\/(health|metrics)(\/|\?|$)/.test((request as { originalUrl?: string }).originalUrl ?? request.url ?? ''),
      },
      serializers: {
        req: serializeRequest,
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
