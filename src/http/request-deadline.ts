import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from './http-error.filter';

/** What a client is told to wait before it tries again after a stalled database. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

const DEADLINE = Symbol('request deadline');

type WithDeadline = FastifyRequest & { [DEADLINE]?: NodeJS.Timeout };

/**
 * No handler keeps its client waiting longer than DATABASE_TIMEOUT_SECONDS (8 s by default): a
 * stalled database answers 503 with Retry-After, well within Svix's 15 s, so Svix retries rather
 * than counting a timeout. (The driver has no per-operation time limit: its `timeoutMS` is
 * ignored.) The work goes on behind the answer; every write is idempotent, so a retry of a write
 * that landed late reads `duplicate`, and the late answer is dropped (Fastify sends one answer per
 * request). Clerk's calls within have a shorter bound of their own.
 *
 * The clock runs from the end of the body (`preHandler`: a body that is slow to arrive has
 * REQUEST_TIMEOUT_SECONDS and its 408) to the answer (`onSend`: sending a large answer to a slow
 * reader is not waiting on the database). A Fastify hook and a plain timer, not a Nest
 * interceptor: an interceptor runs every request of every route through RxJS, which cost about
 * 15% of the CPU of a GET /me (and RxJS's own `timeout` operator doubled the peak RSS under load).
 */
export function limitHandlerTime(fastify: FastifyInstance, deadlineMs: number): void {
  const body = errorBody(503, `The database did not answer within ${deadlineMs / 1000} s; try again later`);
  fastify.addHook('preHandler', (request: WithDeadline, reply, done) => {
    request[DEADLINE] = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent || reply.raw.destroyed) return;
      void reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).send(body);
    }, deadlineMs);
    done();
  });
  fastify.addHook('onSend', (request: WithDeadline, _reply, payload, done) => {
    clearTimeout(request[DEADLINE]);
    done(null, payload);
  });
  // A client that went away is answered by nobody.
  fastify.addHook('onRequestAbort', (request: WithDeadline, done) => {
    clearTimeout(request[DEADLINE]);
    done();
  });
}
