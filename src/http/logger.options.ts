import type { Params } from 'nestjs-pino';
import type { AppConfig, LogFormat } from '../config/app-config';
import { escapeLogArguments } from './control-characters';
import { requestLogMixin } from './request-context';

/**
 * The request headers a log line carries: an allow-list, so credentials (authorization, cookie,
 * svix-signature) never reach a log. (Redacting from all headers instead cost about 15 µs of CPU
 * per logged line.)
 */
const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length', 'svix-id', 'x-forwarded-for'] as const;

interface SerializedRequest {
  id: unknown;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  remoteAddress?: string;
  remotePort?: number;
}

/** A request as a log line shows it: no query or body, and only the allowed headers. */
function serializeRequest({ id, method, url, headers, remoteAddress, remotePort }: SerializedRequest) {
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

/**
 * The service's pino logger: no credentials in any line, and every line written while a request
 * is served carries that request. Requests are logged by `logRequests` (Fastify hooks), not by
 * nestjs-pino's middleware, so it is mounted on no route.
 */
export function loggerOptions(config: AppConfig): Params {
  const pretty = logFormat(config) === 'pretty';
  return {
    forRoutes: [],
    pinoHttp: {
      level: config.logLevel,
      transport: pretty ? { target: 'pino-pretty', options: PRETTY_OPTIONS } : undefined,
      mixin: requestLogMixin,
      // JSON escapes control characters itself; a pretty line must not let an outside value start another.
      ...(pretty && {
        hooks: {
          logMethod(args: unknown[], method: (...args: unknown[]) => void) {
            method.apply(this, escapeLogArguments(args));
          },
        },
      }),
      serializers: {
        req: serializeRequest,
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
