import type { FastifyInstance } from 'fastify';

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
