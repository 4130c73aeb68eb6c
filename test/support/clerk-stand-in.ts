import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ClerkAnswer, offSchema } from './clerk-schemas';

type Json = Record<string, unknown>;
type List = 'users' | 'organizations' | 'memberships';

/** An answer the stand-in gives instead of the normal one. */
export interface StandInFailure {
  status: number;
  retryAfter?: number;
  /** Clerk's trace id for the answer. */
  traceId?: string;
  /** The body as sent, e.g. something that is not JSON (not checked against Clerk's description). */
  rawBody?: string;
}

/** An answer that Clerk's description says it never gives (see `schemaViolations`). */
export interface SchemaViolation {
  path: string;
  status: number;
  problem: string;
}

/** A Backend API error as Clerk answers it. */
class ClerkError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly longMessage: string,
  ) {
    super(longMessage);
  }
}

/** A map that counts its changes, so that a list's order is sorted once per change, not per page. */
class CountedMap<V> extends Map<string, V> {
  changes = 0;
  override set(key: string, value: V): this {
    this.changes++;
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.changes++;
    return super.delete(key);
  }
  override clear(): void {
    this.changes++;
    super.clear();
  }
}

/** The fields lists may be ordered by (Clerk offers more for users; the service uses these). */
const ORDER_FIELDS = new Set(['created_at', 'updated_at']);
const MAX_LIMIT = 500;

/**
 * A loopback stand-in for Clerk's Backend API (users, organizations, memberships, their lists and
 * counts, the JWKS) that follows Clerk's rules: `order_by` (default `-created_at`), `limit` 1 to
 * 500, `offset`, `starting_after` for users (never with an offset), deep offsets that time out,
 * and errors as `{errors: [{code, message, long_message}], clerk_trace_id}`. Every answer it gives
 * is checked against the JSON Schemas taken from Clerk's description; what does not match is kept
 * in `schemaViolations` (the test beds fail a file that leaves any). It counts calls, and can
 * fail, throttle, slow down or vanish on demand.
 */
export class ClerkStandIn {
  readonly users = new CountedMap<Json>();
  readonly organizations = new CountedMap<Json>();
  readonly memberships = new CountedMap<Json>();
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
  /** Offsets past this fail as Clerk's do: a 5xx after `deepOffsetDelayMs`. */
  deepOffsetThreshold = Infinity;
  deepOffsetDelayMs = 1_000;
  /** Every list request and its query string, oldest first. */
  readonly listRequests: { path: string; query: string }[] = [];
  /** Answers that did not match Clerk's description. */
  readonly schemaViolations: SchemaViolation[] = [];
  /** How many answers were checked against Clerk's description. */
  answersChecked = 0;
  /** Off for the benchmark, which measures the service rather than the stand-in. */
  checkAnswers = true;
  /** Ids that exist (a direct lookup finds them) but that list pages leave out, as a shifted page would. */
  readonly missingFromLists = new Set<string>();
  /** Unreachable: every connection is dropped without an answer. */
  down = false;
  /** Silent: every request is accepted and never answered (its connection stays until the client ends it). */
  silent = false;
  /** Clerk's rate limit, when set: past this many requests within 10 s, a 429 with Retry-After. */
  rateLimit = Infinity;
  /** The requests answered 429 by `rateLimit`. */
  throttled = 0;
  /** Called before a list page is answered with the position of its first entry (tests interleave webhooks there). */
  onListPage?: (position: number, list: List) => Promise<void> | void;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private traces = 0;
  /** Each list's entries in the order last asked for, while the list is unchanged (100,000 users sort slowly). */
  private readonly sorted = new Map<List, { key: string; entries: Json[] }>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops; fails when any answer did not match Clerk's description, so that no test passes on one. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.schemaViolations.length) {
      const [first] = this.schemaViolations;
      throw new Error(
        `The Clerk stand-in gave ${this.schemaViolations.length} answer(s) Clerk's description does not allow, ` +
          `first: ${first.status} ${first.path}: ${first.problem}`,
      );
    }
  }

  /** Connections from clients that are open now (a client that gave up should have closed its own). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** The most requests that arrived within any `windowMs` (Clerk's rate limit counts 10 s). */
  maxRequestsWithin(windowMs = 10_000, since = 0): number {
    const times = this.requestTimes.filter((time) => time >= since);
    let most = 0;
    for (let first = 0, last = 0; last < times.length; last++) {
      while (times[last] - times[first] >= windowMs) first++;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  /** Stops publishing a signing key, as Clerk does when it is rotated away. */
  retireKey(kid: string): void {
    this.jwks = this.jwks.filter((key) => key.kid !== kid);
  }

  /** Back to answering normally: no pending failures, no delay, reachable, full lists. */
  reset(): void {
    this.failures.length = 0;
    this.delayMs = 0;
    this.down = false;
    this.silent = false;
    this.rateLimit = Infinity;
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
    if (url.pathname === '/v1/jwks') this.calls.jwks++;
    if (this.silent) return;
    if (this.maxRequestsWithin(10_000, Date.now() - 10_000) > this.rateLimit) {
      this.throttled++;
      return this.sendFailure(response, url.pathname, { status: 429, retryAfter: 1 });
    }
    if (url.pathname === '/v1/users') this.calls.listUsers++;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failure = this.failures.shift();
    if (failure) return this.sendFailure(response, url.pathname, failure);
    try {
      const [answer, body] = await this.route(url);
      this.send(response, url.pathname, 200, answer, body);
    } catch (error) {
      if (!(error instanceof ClerkError)) throw error;
      this.sendError(response, url.pathname, error);
    }
  }

  private async route(url: URL): Promise<[ClerkAnswer, unknown]> {
    const path = url.pathname;
    const query = url.searchParams;
    if (path === '/v1/jwks') return ['JWKS', { keys: this.jwks }];
    if (path === '/v1/users/count') {
      this.calls.countUsers++;
      return ['TotalCount', { object: 'total_count', total_count: this.users.size }];
    }
    // Users list as a bare array; organization and membership lists as {data, total_count}.
    if (path === '/v1/users') return ['User.List', await this.page('users', this.users, url)];
    if (path === '/v1/organizations') {
      this.calls.listOrganizations++;
      const data = await this.page('organizations', this.organizations, url);
      return ['Organizations', { data, total_count: this.organizations.size }];
    }
    if (path === '/v1/organization_memberships') {
      this.calls.listMemberships++;
      const data = await this.page('memberships', this.memberships, url);
      return ['OrganizationMemberships', { data, total_count: this.memberships.size }];
    }
    const orgMemberships = /^\/v1\/organizations\/([^/]+)\/memberships$/.exec(path);
    if (orgMemberships) {
      this.calls.listMemberships++;
      const id = decodeURIComponent(orgMemberships[1]);
      if (!this.organizations.has(id)) throw notFound('organization');
      const userIds = query.getAll('user_id');
      const ofOrganization = new Map(
        [...this.memberships].filter(
          ([, m]) =>
            (m.organization as Json).id === id &&
            (!userIds.length || userIds.includes(String((m.public_user_data as Json).user_id))),
        ),
      );
      const data = await this.page('memberships', ofOrganization, url);
      return ['OrganizationMemberships', { data, total_count: ofOrganization.size }];
    }
    const user = /^\/v1\/users\/([^/]+)$/.exec(path);
    if (user) {
      this.calls.getUser++;
      return ['User', found(this.users.get(decodeURIComponent(user[1])), 'user')];
    }
    const organization = /^\/v1\/organizations\/([^/]+)$/.exec(path);
    if (organization) {
      this.calls.getOrganization++;
      return ['Organization', found(this.organizations.get(decodeURIComponent(organization[1])), 'organization')];
    }
    throw new ClerkError(404, 'resource_not_found', `No route ${path} in the stand-in`);
  }

  /** One page of a list, by Clerk's rules for `order_by`, `limit`, `offset` and (users) `starting_after`. */
  private async page(list: List, items: Map<string, Json>, url: URL): Promise<Json[]> {
    const query = url.searchParams;
    this.listRequests.push({ path: url.pathname, query: url.search });
    const limit = integerParam(query, 'limit', 10);
    if (limit < 1 || limit > MAX_LIMIT) throw invalidParam('limit', `must be between 1 and ${MAX_LIMIT}`);
    const offset = integerParam(query, 'offset', 0);
    if (offset < 0) throw invalidParam('offset', 'must be an integer greater or equal to zero');
    const orderBy = query.get('order_by') ?? '-created_at';
    const field = orderBy.replace(/^[+-]/, '');
    if (!ORDER_FIELDS.has(field)) throw invalidParam('order_by', `cannot order by ${field}`);
    const ordered = this.inOrder(list, items, field, orderBy.startsWith('-') ? -1 : 1).filter(
      (item) => !this.missingFromLists.has(String(item.id)),
    );
    let start = offset;
    const after = list === 'users' ? query.get('starting_after') : null;
    if (after !== null) {
      if (query.has('offset')) throw invalidParam('starting_after', 'cannot be combined with offset');
      const index = ordered.findIndex((item) => item.id === after);
      if (index < 0) throw invalidParam('starting_after', `is not the id of a listed ${list.slice(0, -1)}`);
      start = index + 1;
    } else if (offset > this.deepOffsetThreshold) {
      // Clerk: deep offsets get progressively slower and eventually time out.
      await new Promise((resolve) => setTimeout(resolve, this.deepOffsetDelayMs));
      throw new ClerkError(504, 'request_timeout', `The request timed out at offset ${offset}; use starting_after`);
    }
    await this.onListPage?.(start, list);
    return ordered.slice(start, start + limit);
  }

  private inOrder(list: List, items: Map<string, Json>, field: string, direction: number): Json[] {
    const key = items instanceof CountedMap ? `${field} ${direction} ${items.changes}` : undefined;
    const cached = this.sorted.get(list);
    if (key !== undefined && cached?.key === key) return cached.entries;
    const entries = [...items.values()].sort(
      (a, b) => direction * (Number(a[field]) - Number(b[field]) || String(a.id).localeCompare(String(b.id))),
    );
    if (key !== undefined) this.sorted.set(list, { key, entries });
    return entries;
  }

  private send(response: ServerResponse, path: string, status: number, answer: ClerkAnswer, body: unknown): void {
    this.check(path, status, answer, body);
    // Clerk's SDK parses a body as JSON only for exactly this content type.
    response.writeHead(status, { 'content-type': 'application/json', ...this.traceHeader(body) });
    response.end(JSON.stringify(body));
  }

  private sendError(response: ServerResponse, path: string, error: ClerkError, headers: Record<string, string> = {}) {
    const body = {
      errors: [{ code: error.code, message: error.code.replaceAll('_', ' '), long_message: error.longMessage }],
      clerk_trace_id: `stand_in_trace_${++this.traces}`,
    };
    this.check(path, error.status, 'ClerkErrors', body);
    response.writeHead(error.status, { 'content-type': 'application/json', ...this.traceHeader(body), ...headers });
    response.end(JSON.stringify(body));
  }

  private sendFailure(response: ServerResponse, path: string, failure: StandInFailure): void {
    const headers: Record<string, string> = {};
    if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
    if (failure.rawBody !== undefined) {
      response.writeHead(failure.status, {
        'content-type': 'application/json',
        'x-clerk-trace-id': failure.traceId ?? 'stand_in_trace',
        ...headers,
      });
      return void response.end(failure.rawBody);
    }
    const error = new ClerkError(failure.status, 'stand_in_failure', `The stand-in answers ${failure.status}`);
    const body = {
      errors: [{ code: error.code, message: 'stand in failure', long_message: error.longMessage }],
      clerk_trace_id: failure.traceId ?? 'stand_in_trace',
    };
    this.check(path, failure.status, 'ClerkErrors', body);
    response.writeHead(failure.status, { 'content-type': 'application/json', ...this.traceHeader(body), ...headers });
    response.end(JSON.stringify(body));
  }

  private traceHeader(body: unknown): Record<string, string> {
    const trace = (body as { clerk_trace_id?: unknown } | null)?.clerk_trace_id;
    return typeof trace === 'string' ? { 'x-clerk-trace-id': trace } : {};
  }

  private check(path: string, status: number, answer: ClerkAnswer, body: unknown): void {
    if (!this.checkAnswers) return;
    this.answersChecked++;
    let problem: string | undefined;
    try {
      problem = offSchema(answer, body);
    } catch (error) {
      problem = `the schema does not compile: ${(error as Error).message}`;
    }
    if (problem) this.schemaViolations.push({ path, status, problem });
  }
}

function found(item: Json | undefined, what: string): Json {
  if (!item) throw notFound(what);
  return item;
}

const notFound = (what: string) => new ClerkError(404, 'resource_not_found', `No ${what} was found with that id`);

const invalidParam = (name: string, problem: string) =>
  new ClerkError(422, 'form_param_value_invalid', `${name} ${problem}`);

/** A whole-number query parameter, its default when absent; anything else is Clerk's 422. */
function integerParam(query: URLSearchParams, name: string, fallback: number): number {
  const value = query.get(name);
  if (value === null) return fallback;
  if (!/^-?\d+$/.test(value)) throw invalidParam(name, 'must be an integer');
  return Number(value);
}
