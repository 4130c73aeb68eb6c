import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** A year, with subdomains, as helmet's default. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * helmet's headers on every answer, worked out once: the options are static (no nonces), so the
 * headers are too. (@fastify/helmet builds helmet's middleware anew for every request, which
 * cost about 15 µs of CPU per request.) HSTS is added on HTTPS requests only (directly, or
 * through a trusted proxy's X-Forwarded-Proto): over plain HTTP it means nothing.
 */
export function securityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = helmetHeaders({ ...options, strictTransportSecurity: false } as HelmetOptions);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    done();
  });
}

/** The headers helmet's middleware sets with these options, by running it once on a recorder. */
function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error as Error;
  });
  return headers;
}
