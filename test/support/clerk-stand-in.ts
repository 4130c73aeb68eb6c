import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** An answer the stand-in gives instead of the normal one. */
export interface StandInFailure {
  status: number;
  retryAfter?: number;
  /** Clerk's trace id for the answer. */
  traceId?: string;
  /** The body as sent, e.g. something that is not JSON. */
  rawBody?: string;
}

/**
 * A loopback stand-in for Clerk's Backend API: users, their list and count, and the JWKS.
 * It counts calls, and can fail, throttle, slow down or vanish on demand.
 */
export class ClerkStandIn {
  readonly users = new Map<string, Json>();
  jwks: Json[] = [];
  readonly calls = { getUser: 0, listUsers: 0, countUsers: 0, jwks: 0 };
  /** Answers for the next requests, in order, before the normal one: e.g. 429 or 500. */
  readonly failures: StandInFailure[] = [];
  delayMs = 0;
  /** Unreachable: every connection is dropped without an answer. */
  down = false;
  /** Called before a list page is answered (tests interleave webhooks there). */
  onListPage?: (offset: number) => Promise<void> | void;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  putUser(user: Json): void {
    this.users.set(String(user.id), user);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.down) return void request.socket.destroy();
    const url = new URL(request.url ?? '/', this.url);
    const isList = url.pathname === '/v1/users';
    if (isList) this.calls.listUsers++;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failure = this.failures.shift();
    if (failure) {
      const headers: Record<string, string> = { 'x-clerk-trace-id': failure.traceId ?? 'stand_in_trace' };
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      if (failure.rawBody !== undefined) {
        response.writeHead(failure.status, { 'content-type': 'application/json', ...headers });
        return void response.end(failure.rawBody);
      }
      return send(
        response,
        failure.status,
        {
          errors: [{ code: 'stand_in_failure', message: `status ${failure.status}` }],
          clerk_trace_id: failure.traceId ?? 'stand_in_trace',
        },
        headers,
      );
    }
    if (url.pathname === '/v1/jwks') {
      this.calls.jwks++;
      return send(response, 200, { keys: this.jwks });
    }
    if (url.pathname === '/v1/users/count') {
      this.calls.countUsers++;
      return send(response, 200, { object: 'total_count', total_count: this.users.size });
    }
    if (isList) {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 10);
      await this.onListPage?.(offset);
      const all = [...this.users.values()].sort((a, b) => Number(a.created_at) - Number(b.created_at));
      return send(response, 200, all.slice(offset, offset + limit));
    }
    const match = /^\/v1\/users\/([^/]+)$/.exec(url.pathname);
    if (match) {
      this.calls.getUser++;
      const user = this.users.get(decodeURIComponent(match[1]));
      if (user) return send(response, 200, user);
      return send(response, 404, { errors: [{ code: 'resource_not_found', message: 'not found' }] });
    }
    send(response, 404, { errors: [{ code: 'resource_not_found', message: 'no such route' }] });
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Clerk's SDK parses a body as JSON only for exactly this content type.
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
