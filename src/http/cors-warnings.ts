import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/** Origins remembered at most: a flood of invented origins costs a bounded set and no more lines. */
const MAX_REMEMBERED = 1_000;

/**
 * A browser's CORS preflight from an origin CORS_ORIGINS does not list fails in the browser with
 * no trace on the server; this says so once per origin and process, naming the variable to set.
 * Read when the answer is sent: CORS answers a preflight in the first request hook.
 */
export function warnUnlistedPreflights(fastify: FastifyInstance, allowed: readonly string[]): void {
  const logger = new Logger('Cors');
  const warned = new Set<string>();
  fastify.addHook('onResponse', (request, _reply, done) => {
    const { origin } = request.headers;
    if (
      request.method === 'OPTIONS' &&
      typeof origin === 'string' &&
      request.headers['access-control-request-method'] !== undefined &&
      !allowed.includes(origin) &&
      !warned.has(origin) &&
      warned.size < MAX_REMEMBERED
    ) {
      warned.add(origin);
      logger.warn(
        `CORS preflight from origin ${JSON.stringify(origin.slice(0, 200))} refused: ` +
          'add it to CORS_ORIGINS to let browsers on it call this API',
      );
    }
    done();
  });
}
