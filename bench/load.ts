import { createPrivateKey } from 'node:crypto';
import autocannon from 'autocannon';
import { clerkUser, userEvent } from '../src/samples/clerk-user';
import { signedDelivery } from '../src/samples/signed-delivery';
import { mintToken, sessionClaims } from '../test/support/tokens';
import { BENCH_ORGANIZATION, BENCH_READER } from './preload';

/** One measured run, driven from its own process so the load generator does not share a core's event loop with the target. */
export interface LoadJob {
  url: string;
  workload: Workload;
  connections: number;
  durationSeconds: number;
  webhookSecret: string;
  privateKeyPem: string;
  kid: string;
  /** Prefix of the user ids this run creates (webhook-created) or updates (webhook-updated). */
  userPrefix: string;
  /** Users stored already, for the /me workloads. */
  userIds: string[];
  /** Requests a second in all (a fixed load, to compare CPU per request); unset, as fast as answered. */
  rate?: number;
}

/** What every run of one benchmark shares: the load's shape and the keys its requests are signed with. */
export interface LoadSettings {
  connections: number;
  webhookSecret: string;
  privateKeyPem: string;
  rate?: number;
}

/** One run's job: `userPrefix` names the users it creates or updates, `userIds` those it reads. */
export const loadJob = (
  settings: LoadSettings,
  url: string,
  workload: Workload,
  userPrefix: string,
  userIds: string[],
  durationSeconds: number,
): LoadJob => ({ ...settings, url, workload, durationSeconds, kid: 'ins_bench', userPrefix, userIds });

export const WORKLOADS = [
  'webhook-created',
  'webhook-updated',
  'webhook-duplicate',
  'get-me',
  'get-me-fresh',
  'patch-me',
  'member-page',
  'get-me-304',
] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Answers by status code, to tell errors apart. */
  statusCodes: Record<string, number>;
}

/** Distinct tokens of the get-me-fresh workload (BENCH_FRESH_TOKENS): more than a run sends. */
const FRESH_TOKENS = Number(process.env.BENCH_FRESH_TOKENS ?? 25_000);

/** Tokens as a browser holds them: Clerk-shaped, for the frontend origin the targets allow. */
function tokenMinter(job: LoadJob) {
  const key = { kid: job.kid, privateKey: createPrivateKey(job.privateKeyPem) };
  return (userId: string) => mintToken(key, sessionClaims(userId, { exp: Math.floor(Date.now() / 1000) + 900 }));
}

function signed(secret: string, payload: unknown): autocannon.Request {
  return { method: 'POST', path: '/webhooks/clerk', ...signedDelivery(secret, payload) } as autocannon.Request;
}

/** The reader's session (an Authorization header) and the GET /me tag it got. */
interface Revalidation {
  authorization: string;
  etag: string;
}

/** Each request of a workload, built as autocannon sends it; `reader` is get-me-304's session. */
function requestFor(job: LoadJob, reader?: Revalidation): () => autocannon.Request {
  const secret = job.webhookSecret;
  let n = 0;
  switch (job.workload) {
    case 'webhook-created':
      return () =>
        signed(secret, userEvent('user.created', clerkUser({ id: `${job.userPrefix}_${n++}`, createdAt: Date.now() })));
    case 'webhook-updated':
      return () => {
        const id = job.userIds[n % job.userIds.length];
        // The clock as the version: each user's next update comes 1,000 requests later, so every
        // version is newer than the stored one, in every round (a counter added to the clock ran
        // ahead of it, and the second round's versions were mostly older: stale, not updates).
        return signed(
          secret,
          userEvent('user.updated', clerkUser({ id, firstName: `v${n++}`, updatedAt: Date.now() })),
        );
      };
    case 'webhook-duplicate': {
      // One delivery (one svix-id) sent again and again, as Svix does when an answer is lost.
      const same = signed(secret, userEvent('user.created', clerkUser({ id: `${job.userPrefix}_duplicate` })));
      return () => same;
    }
    case 'get-me': {
      const mint = tokenMinter(job);
      const tokens = job.userIds.map((id) => mint(id));
      return () => ({
        method: 'GET',
        path: '/me',
        headers: { authorization: `Bearer ${tokens[n++ % tokens.length]}` },
      });
    }
    case 'get-me-fresh': {
      // A token never sent before on every request: the worst case, where no cache can help.
      // Minted before the run (RSA signing here would slow the load generator, not the target).
      const mint = tokenMinter(job);
      const tokens = Array.from({ length: FRESH_TOKENS }, (_, i) => mint(job.userIds[i % job.userIds.length]));
      return () => ({
        method: 'GET',
        path: '/me',
        headers: { authorization: `Bearer ${tokens[n++ % tokens.length]}` },
      });
    }
    case 'member-page': {
      // A page of 100 of the preloaded organization's members, as a team page loads it.
      const authorization = `Bearer ${tokenMinter(job)(BENCH_READER)}`;
      return () => ({
        method: 'GET',
        path: `/organizations/${BENCH_ORGANIZATION}/members?limit=100`,
        headers: { authorization },
      });
    }
    case 'get-me-304': {
      // A frontend revalidating GET /me on focus: the tag it holds is current, the answer 304.
      const { authorization, etag } = reader!;
      return () => ({ method: 'GET', path: '/me', headers: { authorization, 'if-none-match': etag } });
    }
    case 'patch-me': {
      const mint = tokenMinter(job);
      const tokens = job.userIds.map((id) => mint(id));
      const colors = ['RED', 'GREEN', 'BLUE'];
      return () => ({
        method: 'PATCH',
        path: '/me',
        headers: { authorization: `Bearer ${tokens[n % tokens.length]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ favoriteColor: colors[n++ % 3] }),
      });
    }
  }
}

/**
 * For get-me-304, the reader's session and its current GET /me tag: one token for both, as one
 * browser session holds it (GET /me's body carries the session's id, so another token's tag is
 * another body's).
 */
async function revalidation(job: LoadJob): Promise<Revalidation | undefined> {
  if (job.workload !== 'get-me-304') return undefined;
  const authorization = `Bearer ${tokenMinter(job)(BENCH_READER)}`;
  const etag = (await fetch(`${job.url}/me`, { headers: { authorization } })).headers.get('etag') ?? '';
  return { authorization, etag };
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const next = requestFor(job, await revalidation(job));
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
    ...(job.rate ? { overallRate: job.rate } : {}),
    requests: [{ setupRequest: () => next() }],
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // get-me-304 asks for 304s: any other answer (a 200 with the whole body too) is its error.
    errors:
      result.errors +
      result.timeouts +
      (job.workload === 'get-me-304'
        ? result.requests.total - (result.statusCodeStats?.['304']?.count ?? 0)
        : result.non2xx),
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats?.count ?? 0]),
    ),
  };
}

// As a child process: the job on argv, the result as the last line of stdout.
if (require.main === module) {
  const job = JSON.parse(process.argv[2]) as LoadJob;
  void runLoad(job).then((result) => process.stdout.write(`${JSON.stringify(result)}\n`));
}
