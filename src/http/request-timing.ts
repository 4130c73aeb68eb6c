import type { FastifyInstance } from 'fastify';
import type { HttpObserver } from './http-observer';

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
