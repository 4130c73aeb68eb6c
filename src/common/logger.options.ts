import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig, LogFormat } from '../config/config.schema';

/** Headers that carry credentials: never written to a log. */
export const REDACTED_HEADERS = ['authorization', 'cookie', 'svix-signature'];

/** JSON in production and when stdout is not a terminal; readable lines for a person at a terminal. */
export function logFormat(
  { logFormat: chosen, production }: AppConfig,
  isTerminal = Boolean(process.stdout.isTTY),
): LogFormat {
  return chosen ?? (!production && isTerminal ? 'pretty' : 'json');
}

/** pino-http as the service logs requests: credentials redacted, health checks and metrics scrapes left out. */
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
      redact: {
        paths: [...REDACTED_HEADERS.map((name) => `req.headers["${name}"]`), 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      // Middleware sees a stripped req.url; originalUrl is the path the client asked for.
      autoLogging: {
        ignore: (request) =>
          /^\/(health|metrics)(\/|\?|$)/.test((request as { originalUrl?: string }).originalUrl ?? request.url ?? ''),
      },
      serializers: { res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }) },
    },
  };
}
