import type { Server } from 'node:http';
import type { RequestLimits } from '../config/app-config';

/** Node cuts slow request headers at 60 s; never later than the whole request's bound. */
const HEADERS_TIMEOUT_MS = 60_000;

/**
 * Bounds what a client can hold open: a request whose body has not fully arrived within
 * REQUEST_TIMEOUT_SECONDS is answered 408 and its connection closed (Node's own check; Fastify
 * turns it off by default, so a body trickled a byte at a time held its connection for ever), and
 * at most MAX_CONNECTIONS connections are open at once (more are closed as they arrive, before
 * file descriptors run out). Node checks expired requests every `connectionsCheckingInterval`
 * (30 s by default); checked every second, a request is cut within a second of its bound.
 */
export function limitConnections(server: Server, limits: Pick<RequestLimits, 'requestTimeoutMs' | 'maxConnections'>) {
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, limits.requestTimeoutMs);
  // Read when the server starts listening (a createServer option that is also a property).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    1_000,
    Math.max(50, limits.requestTimeoutMs / 4),
  );
  server.maxConnections = limits.maxConnections;
}
