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
  readonly organizations = new Map<string, Json>();
  readonly memberships = new Map<string, Json>();
  jwks: Json[] = [];
  readonly calls = {
    getUser: 0,
    listUsers: 0,
    countUsers: 0,
    jwks: 0,
    getOrganization: 0,
    listOrganizations: 0,
    listMemberships: 0,
    total: 0,
  };
  /** When each request arrived (ms), to check a client's rate. */
  readonly requestTimes: number[] = [];
  /** Answers for the next requests, in order, before the normal one: e.g. 429 or 500. */
  readonly failures: StandInFailure[] = [];
  delayMs = 0;
  /** Ids that exist (a direct lookup finds them) but that list pages leave out, as a shifted page would. */
  readonly missingFromLists = new Set<string>();
  /** Unreachable: every connection is dropped without an answer. */
  down = false;
  /** Called before a list page is answered (tests interleave webhooks there). */
  onListPage?: (offset: number, list: 'users' | 'organizations' | 'memberships') => Promise<void> | void;
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

  /** Back to answering normally: no pending failures, no delay, reachable, full lists. */
  reset(): void {
    this.failures.length = 0;
    this.delayMs = 0;
    this.down = false;
    this.missingFromLists.clear();
    this.onListPage = undefined;
  }

  putUser(user: Json): void {
    this.users.set(String(user.id), user);
  }

  putOrganization(organization: Json): void {
    this.organizations.set(String(organization.id), organization);
  }

  /** A membership, as Clerk lists it (with its organization and the member's public data). */
  putMembership(membership: Json): void {
    this.memberships.set(String(membership.id), membership);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.down) return void request.socket.destroy();
    this.calls.total++;
    this.requestTimes.push(Date.now());
    const url = new URL(request.url ?? '/', this.url);
    const path = url.pathname;
    if (path === '/v1/users') this.calls.listUsers++;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failure = this.failures.shift();
    if (failure) return sendFailure(response, failure);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const page = async (list: 'users' | 'organizations' | 'memberships', items: Map<string, Json>) => {
      await this.onListPage?.(offset, list);
      return [...items.values()]
        .filter((item) => !this.missingFromLists.has(String(item.id)))
        .sort((a, b) => Number(a.created_at) - Number(b.created_at))
        .slice(offset, offset + limit);
    };
    if (path === '/v1/jwks') {
      this.calls.jwks++;
      return send(response, 200, { keys: this.jwks });
    }
    if (path === '/v1/users/count') {
      this.calls.countUsers++;
      return send(response, 200, { object: 'total_count', total_count: this.users.size });
    }
    // Users list as a bare array; organization and membership lists as {data, total_count}.
    if (path === '/v1/users') return send(response, 200, await page('users', this.users));
    if (path === '/v1/organizations') {
      this.calls.listOrganizations++;
      const data = await page('organizations', this.organizations);
      return send(response, 200, { data, total_count: this.organizations.size });
    }
    if (path === '/v1/organization_memberships') {
      this.calls.listMemberships++;
      const data = await page('memberships', this.memberships);
      return send(response, 200, { data, total_count: this.memberships.size });
    }
    const orgMemberships = /^\/v1\/organizations\/([^/]+)\/memberships$/.exec(path);
    if (orgMemberships) {
      this.calls.listMemberships++;
      const id = decodeURIComponent(orgMemberships[1]);
      if (!this.organizations.has(id)) return sendFound(response, undefined);
      const userIds = url.searchParams.getAll('user_id');
      const ofOrganization = new Map(
        [...this.memberships].filter(
          ([, m]) =>
            (m.organization as Json).id === id &&
            (!userIds.length || userIds.includes(String((m.public_user_data as Json).user_id))),
        ),
      );
      return send(response, 200, { data: await page('memberships', ofOrganization), total_count: ofOrganization.size });
    }
    const user = /^\/v1\/users\/([^/]+)$/.exec(path);
    if (user) {
      this.calls.getUser++;
      return sendFound(response, this.users.get(decodeURIComponent(user[1])));
    }
    const organization = /^\/v1\/organizations\/([^/]+)$/.exec(path);
    if (organization) {
      this.calls.getOrganization++;
      return sendFound(response, this.organizations.get(decodeURIComponent(organization[1])));
    }
    send(response, 404, { errors: [{ code: 'resource_not_found', message: 'no such route' }] });
  }
}

function sendFailure(response: ServerResponse, failure: StandInFailure): void {
  const headers: Record<string, string> = { 'x-clerk-trace-id': failure.traceId ?? 'stand_in_trace' };
  if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
  if (failure.rawBody !== undefined) {
    response.writeHead(failure.status, { 'content-type': 'application/json', ...headers });
    return void response.end(failure.rawBody);
  }
  const errors = [{ code: 'stand_in_failure', message: `status ${failure.status}` }];
  send(response, failure.status, { errors, clerk_trace_id: failure.traceId ?? 'stand_in_trace' }, headers);
}

function sendFound(response: ServerResponse, found: Json | undefined): void {
  if (found) return send(response, 200, found);
  send(response, 404, { errors: [{ code: 'resource_not_found', message: 'not found' }] });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Clerk's SDK parses a body as JSON only for exactly this content type.
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
