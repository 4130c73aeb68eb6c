import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';

/**
 * A request being served, and what the service learned of it (a webhook's type, object and
 * outcome). Emptied once the request is answered: a socket, timer or promise made while serving
 * it keeps the context for its own life, and must not keep the request (and its body) too.
 */
export interface RequestContext {
  request?: FastifyRequest;
  fields?: Record<string, unknown>;
}

const contexts = new AsyncLocalStorage<RequestContext>();
const CONTEXT = Symbol('request context');

type WithContext = FastifyRequest & { [CONTEXT]?: RequestContext };

/** Runs the rest of the request (its guards and handler) with its context, reachable from any await within. */
export function runInRequestContext(request: FastifyRequest, next: () => void): void {
  const context: RequestContext = { request };
  (request as WithContext)[CONTEXT] = context;
  contexts.run(context, next);
}

/** The context of this request, when it reached its handler. */
export const requestContextOf = (request: FastifyRequest): RequestContext | undefined =>
  (request as WithContext)[CONTEXT];

/** Forgets the request, once answered (or abandoned by its client). */
export function endRequestContext(request: FastifyRequest): void {
  const context = requestContextOf(request);
  if (!context) return;
  context.request = undefined;
  context.fields = undefined;
}

/** The context of the request being served here, if any. */
export const currentRequestContext = (): RequestContext | undefined => contexts.getStore();

/**
 * The request as the log's `req` serializer takes it: Node's request, with Fastify's id. Nothing
 * is serialized until a line is actually written.
 */
export function loggedRequest(request: FastifyRequest): IncomingMessage {
  const raw = request.raw as IncomingMessage & { id?: string };
  raw.id = request.id;
  return raw;
}

/**
 * pino's mixin: a line written while a request is served carries the request and what was learned
 * of it, as the request's own line does. Worked out only for lines that are written.
 */
export function requestLogMixin(line: object): object {
  const context = contexts.getStore();
  if (!context?.request || 'req' in line) return {};
  return { req: loggedRequest(context.request), ...context.fields };
}
